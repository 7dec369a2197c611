// Waiting for the dust to settle after a scenario, bounded: every order terminal (a blocking
// checkout abandoned by a killed orders process is closed by orders' sweeper within ~17 s), the
// outbox empty, and the main and retry queues empty and idle. Whatever is still left when a
// wait gives up is what the books then report.
import { type Redis } from 'ioredis';
import { readLedger } from './ledger.mts';
import { listQueues, pollUntil } from '@junction/testkit';
import { CHAOS_VHOST } from './settings.mts';

const ORDERS_TIMEOUT_MS = 60_000;
const QUEUES_TIMEOUT_MS = 60_000;

export interface Settling {
  /** ms until every order was terminal and the outbox empty (or the wait gave up). */
  readonly ordersMs: number;
  /** ms until the main and retry queues were empty and idle too. */
  readonly queuesMs: number;
}

export async function settle(redis: Redis): Promise<Settling> {
  const started = Date.now();
  await pollUntil(
    async () => ((await ordersInFlight(redis)) === 0 ? true : undefined),
    ORDERS_TIMEOUT_MS,
    500,
  );
  const ordersMs = Date.now() - started;
  await queuesIdle();
  return { ordersMs, queuesMs: Date.now() - started };
}

/** Pending orders plus events waiting in the outbox. */
async function ordersInFlight(redis: Redis): Promise<number> {
  const ledger = await readLedger(redis, []);
  const pending = [...ledger.orders.values()].filter((order) => order.status === 'pending');
  return pending.length + ledger.outboxLength;
}

/** Waits until two consecutive looks at the main and retry queues find them empty. */
export async function queuesIdle(timeoutMs = QUEUES_TIMEOUT_MS): Promise<boolean> {
  let emptyBefore = false;
  const idle = await pollUntil(
    async () => {
      const busy = (await listQueues(CHAOS_VHOST))
        .filter((queue) => !queue.name.endsWith('.parking'))
        .some((queue) => queue.ready > 0 || queue.unacked > 0);
      const settled = !busy && emptyBefore;
      emptyBefore = !busy;
      return settled ? true : undefined;
    },
    timeoutMs,
    250,
  );
  return idle === true;
}
