import { recordingPublisher } from '@junction/messaging/testing';
import { FixedClock } from '@junction/platform/testing';
import { type PlacedOrder, type Reservation } from '../../../domain/reservation';
import { InventoryEventsPublisher } from './inventory-events.publisher';

const order: PlacedOrder = { orderId: 'order-1', userId: 'user-1', paymentMethod: 'pm_card_ok' };
const lines = [{ sku: 'JNC-MUG', quantity: 2 }];
const occurredAt = '2026-03-04T05:06:07.000Z';

/** The publisher over a broker stand-in that keeps what it was given. */
function publisher() {
  const { publisher: broker, published } = recordingPublisher();
  return { published, events: new InventoryEventsPublisher(broker, new FixedClock(occurredAt)) };
}

describe(InventoryEventsPublisher.name, () => {
  describe('reservationDecided', () => {
    it('publishes inventory.reserved with the order, its total and its lines', async () => {
      const { published, events } = publisher();
      const reserved: Reservation = {
        orderId: 'order-1',
        status: 'reserved',
        lines,
        totalCents: 2400,
      };
      await events.reservationDecided(order, reserved);
      expect(published).toEqual([
        {
          routingKey: 'inventory.reserved',
          messageId: 'inventory.reserved:order-1',
          type: 'inventory.reserved',
          body: {
            messageId: 'inventory.reserved:order-1',
            type: 'inventory.reserved',
            occurredAt,
            orderId: 'order-1',
            userId: 'user-1',
            totalCents: 2400,
            paymentMethod: 'pm_card_ok',
            lines,
          },
        },
      ]);
    });

    it('publishes inventory.rejected with the reason of a rejected reservation', async () => {
      const { published, events } = publisher();
      const rejected: Reservation = {
        orderId: 'order-1',
        status: 'rejected',
        reason: 'out_of_stock',
        lines,
        totalCents: 0,
      };
      await events.reservationDecided(order, rejected);
      expect(published.map((event) => event.body)).toEqual([
        {
          messageId: 'inventory.rejected:order-1',
          type: 'inventory.rejected',
          occurredAt,
          orderId: 'order-1',
          reason: 'out_of_stock',
        },
      ]);
    });

    it('publishes inventory.rejected with reason released for an order released before', async () => {
      const { published, events } = publisher();
      const released: Reservation = {
        orderId: 'order-1',
        status: 'released',
        lines: [],
        totalCents: 0,
      };
      await events.reservationDecided(order, released);
      expect(published.map((event) => event.body)).toMatchObject([
        { type: 'inventory.rejected', reason: 'released' },
      ]);
    });
  });
});
