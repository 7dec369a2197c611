import { randomUUID } from 'node:crypto';
import { orderPlacedSchema, ROUTING_KEYS } from '@junction/contracts';
import { mockOf } from '@junction/platform/testing';
import { pendingOrder } from '../../../domain/order.fixture';
import { CheckoutEventsPublisher } from './checkout-events.publisher';
import { type OutboxRelay } from './outbox-relay';

function publisher() {
  let kicks = 0;
  const relay = mockOf<OutboxRelay>();
  relay.kick.mockImplementation(() => {
    kicks += 1;
  });
  return { events: new CheckoutEventsPublisher(relay), kicks: () => kicks };
}

describe(CheckoutEventsPublisher.name, () => {
  describe('orderPlaced', () => {
    it('builds the order.placed event of the order as an outbox entry', () => {
      const userId = randomUUID();
      const order = pendingOrder({ userId, lines: [{ sku: 'JNC-MUG', quantity: 2 }] });
      const event = JSON.parse(publisher().events.orderPlaced(order)) as {
        routingKey: string;
        messageId: string;
        body: unknown;
      };
      expect(event.routingKey).toBe(ROUTING_KEYS.orderPlaced);
      expect(event.messageId).toBe(`order.placed:${order.id}`);
      expect(orderPlacedSchema.parse(event.body)).toMatchObject({
        orderId: order.id,
        userId,
        lines: order.lines,
        paymentMethod: order.paymentMethod,
        occurredAt: order.createdAt,
      });
    });
  });

  describe('flush', () => {
    it('wakes the relay', () => {
      const world = publisher();
      world.events.flush();
      expect(world.kicks()).toBe(1);
    });
  });
});
