// Sagas that stall: a saga message parked, or lost with a deleted queue while its consumer was
// mid-delivery. Orders' deadline (QUEUED_ORDER_DEADLINE_MS, short here) must end each stalled
// order exactly once as `timeout`: its stock released, nothing captured — the books balance.
import { type PeekedMessage, queuesOf, sleep, until } from '@junction/testkit';
import { serviceFault } from './fault-cli.mts';
import { DEADLINE_ENV, timedOut } from './deadline.mts';
import { type Ledger, readLedger } from './ledger.mts';
import { type Scenario, type ScenarioContext } from './scenario.mts';

/** Longer than a message's 5 attempts 1 s apart, so the first ones to arrive are parked. */
const FAULT_MS = 6_000;

/**
 * Payment fails every charge for 6 s (`npm run fault`): the inventory.reserved events that reach
 * it early in that window use up their attempts and are parked, their orders stall with stock
 * reserved, and the deadline must end them. Every parked message must be of an order that ended
 * `timeout`; nothing else may be parked.
 */
export const parkedSaga: Scenario = {
  name: 'parked-saga',
  title: 'saga message parked: payment fails 6 s, inventory.reserved parked, deadline ends it',
  inCi: false,
  load: { queuedShare: 0.9 },
  env: DEADLINE_ENV,
  async disrupt(context) {
    await context.atLoadFraction(0.2);
    await serviceFault('payment', ['--error-rate', '1']);
    try {
      await sleep(FAULT_MS);
    } finally {
      await serviceFault('payment', ['--clear']);
    }
    await context.loadDone;
    await context.settle();
    const parkingQueue = queuesOf('payment').parking;
    const parked = await (await context.amqp()).peekMessages(parkingQueue);
    const ledger = await readLedger(context.stage.redis, []);
    const ended = expectTimedOut(context, parkingQueue, parked, ledger);
    if (ended === 0)
      context.violation(`nothing reached ${parkingQueue}: the deadline was not tested`);
    context.note(
      `${String(parked.length)} inventory.reserved parked in ${parkingQueue}; ${String(timedOut(ledger))} orders rejected as timeout`,
    );
  },
};

/**
 * `service`'s main queue deleted while the service is mid-delivery (300 ms on each operation) —
 * not at an idle moment: the broker cancels the consumer, whose deliveries in flight still
 * settle, and it subscribes again. Whatever the queue held is gone with it (no publisher can see
 * that), so those orders stall and the deadline must end them.
 */
export function consumerCancelled(service: 'payment' | 'inventory'): Scenario {
  const queue = queuesOf(service).main;
  return {
    name: `cancel-consumer-${service}`,
    title: `consumer cancelled by the broker mid-delivery: ${queue} deleted, not idle`,
    inCi: false,
    load: { queuedShare: 0.9 },
    env: { ...DEADLINE_ENV, [service]: { FAULT_LATENCY_MS: '300' } },
    async disrupt(context) {
      await context.atLoadFraction(0.3);
      const amqp = await context.amqp();
      const deletedWith = await amqp.deleteQueue(queue);
      context.note(
        `${queue} deleted with ${String(deletedWith)} ready messages, deliveries in flight`,
      );
      const consuming = await until(async () => (await amqp.consumerCount(queue)) > 0, 10_000, 50);
      if (!consuming) context.violation(`${queue} had no consumer 10 s after it was deleted`);
      await context.loadDone;
      await context.settle();
      const ledger = await readLedger(context.stage.redis, []);
      if (deletedWith > 0 && timedOut(ledger) === 0) {
        context.violation(`${String(deletedWith)} messages were deleted, yet no order timed out`);
      }
      context.note(`${String(timedOut(ledger))} orders rejected as timeout`);
    },
  };
}

/**
 * Each parked message must be an exhausted saga message of an order the deadline ended: it is
 * then expected in the parking queue (the books check that nothing else is there).
 */
function expectTimedOut(
  context: ScenarioContext,
  parkingQueue: string,
  parked: readonly PeekedMessage[],
  ledger: Ledger,
): number {
  let ended = 0;
  for (const message of parked) {
    const orderId = orderIdOf(message.content);
    const order = orderId === undefined ? undefined : ledger.orders.get(orderId);
    const header = message.headers['x-parked-reason'];
    const reason = typeof header === 'string' ? header : '';
    if (order?.status === 'rejected' && order.reason === 'timeout' && reason.startsWith('failed')) {
      context.expectParked(parkingQueue, message.messageId);
      ended += 1;
    } else {
      context.violation(
        `parked ${message.messageId} (${reason}) is of order ${orderId ?? '?'} (${order ? `${order.status} ${order.reason}` : 'not found'}), not one that timed out`,
      );
    }
  }
  return ended;
}

function orderIdOf(content: string): string | undefined {
  try {
    const { orderId } = JSON.parse(content) as { orderId?: unknown };
    return typeof orderId === 'string' ? orderId : undefined;
  } catch {
    return undefined;
  }
}
