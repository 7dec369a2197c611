import { randomUUID } from 'node:crypto';
import { orderPlacedSchema, ROUTING_KEYS } from '@junction/contracts';
import { mockOf } from '@junction/platform/testing';
import { pendingOrder } from '../../../domain/order.fixture';
import { CheckoutEventsPublisher } from './checkout-events.publisher';
import { type OutboxRelay } from './outbox-relay';

function publisher() {
  const kicked: (string | undefined)[] = [];
  const relay = mockOf<OutboxRelay>();
  relay.kick.mockImplementation((key) => {
    kicked.push(key);
  });
  return { events: new CheckoutEventsPublisher(relay), kicked };
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
    it("wakes the relay for the order's partition", () => {
      const world = publisher();
      const order = pendingOrder();
      world.events.flush(order);
      expect(world.kicked).toEqual([order.id]);
    });
  });
});
