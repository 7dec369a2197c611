// The machine's RabbitMQ as an operator sees it: rabbitmqctl, run asynchronously so the load
// keeps its rate while a (slow, ~1 s) rabbitmqctl call is under way.
import { rabbitmqctl } from '../local/infrastructure.mts';
import { sleep } from './settings.mts';

export interface QueueDepth {
  readonly name: string;
  readonly ready: number;
  readonly unacked: number;
  readonly consumers: number;
}

export async function listQueues(vhost: string): Promise<QueueDepth[]> {
  const columns = ['name', 'messages_ready', 'messages_unacknowledged', 'consumers'];
  return rows(await rabbitmqctl(['list_queues', '-p', vhost, '--no-table-headers', ...columns]))
    .filter((row) => row.length === columns.length)
    .map(([name = '', ready, unacked, consumers]) => ({
      name,
      ready: Number(ready),
      unacked: Number(unacked),
      consumers: Number(consumers),
    }));
}

/** The prefetch count of each consumer on each queue, as the broker enforces it. */
export async function listConsumerPrefetch(
  vhost: string,
): Promise<{ queue: string; prefetch: number }[]> {
  const output = await rabbitmqctl([
    'list_consumers',
    '-p',
    vhost,
    '--no-table-headers',
    'queue_name',
    'prefetch_count',
  ]);
  return rows(output)
    .filter((row) => row.length === 2)
    .map(([queue = '', prefetch]) => ({ queue, prefetch: Number(prefetch) }));
}

let appStopped = false;

/**
 * Stops the broker's application (every connection drops), keeps it down for `downMs`, starts it
 * again and waits until it serves. Returns how long the broker was away, in ms.
 */
export async function restartBroker(downMs: number): Promise<number> {
  const started = Date.now();
  appStopped = true;
  try {
    await rabbitmqctl(['stop_app']);
    await sleep(downMs);
  } finally {
    await ensureBrokerRunning();
  }
  return Date.now() - started;
}

/** Starts the broker's application again if a restart was interrupted (safe to call any time). */
export async function ensureBrokerRunning(): Promise<void> {
  if (!appStopped) return;
  await rabbitmqctl(['start_app']);
  await rabbitmqctl(['await_startup'], 120_000);
  appStopped = false;
}

function rows(output: string): string[][] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}
