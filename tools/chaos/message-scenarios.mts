// Bad deliveries from outside the services: the same event several times, and poison.
import { type TappedMessage } from '@junction/testkit';
import { poisonMessages, publishCopies } from './injected-messages.mts';
import { type Scenario } from './scenario.mts';

const COPIES = 3;

/**
 * Every event of about a third of the orders (order.placed, inventory.reserved|rejected,
 * payment.captured|declined) is published 3 more times with the same messageId: once while the
 * original is in flight, and once more after everything has settled. No second effect allowed.
 */
export const duplicateDeliveries: Scenario = {
  name: 'duplicates',
  title: 'duplicate deliveries: each event of 1/3 of the orders 3× more, same messageId',
  inCi: true,
  load: { queuedShare: 0.8 },
  async disrupt(context) {
    const amqp = await context.amqp();
    const copied = new Map<string, TappedMessage>();
    // Settled at once (never an unhandled rejection); a failed publish fails the scenario below.
    const inFlight: Promise<unknown>[] = [];
    await amqp.tap('#', (message) => {
      // The tap sees the copies too: each messageId is copied once.
      const messageId = String(message.properties.messageId);
      if (!isSampled(message) || copied.has(messageId)) return;
      copied.set(messageId, message);
      inFlight.push(publishCopies(amqp, message, COPIES).catch((error: unknown) => error));
    });
    await context.loadDone;
    const failed = (await Promise.all(inFlight)).find((outcome) => outcome !== undefined);
    if (failed !== undefined) throw new Error('publishing a copy failed', { cause: failed });
    await context.settle();
    for (const message of copied.values()) await publishCopies(amqp, message, COPIES);
    await context.settle();
    context.note(
      `${copied.size} events × ${COPIES} copies in flight, × ${COPIES} again after settling`,
    );
  },
};

/** The order an event is about decides whether it is copied: about one order in three. */
function isSampled(message: TappedMessage): boolean {
  try {
    const { orderId } = JSON.parse(message.content.toString('utf8')) as { orderId?: unknown };
    return typeof orderId === 'string' && parseInt(orderId.slice(0, 2), 16) % 3 === 0;
  } catch {
    return false;
  }
}

/** Four kinds of poison, injected mid-load; each must be parked, and nothing else. */
export const poison: Scenario = {
  name: 'poison',
  title: 'poison: not JSON, wrong schema, unknown type, 300 KiB body',
  inCi: true,
  async disrupt(context) {
    await context.atLoadFraction(0.3);
    const amqp = await context.amqp();
    for (const message of poisonMessages()) {
      await message.inject(amqp);
      context.expectParked(message.parkingQueue, message.messageId);
      context.note(`${message.kind} → ${message.parkingQueue}`);
    }
  },
};
