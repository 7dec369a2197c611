import { recordingPublisher } from '@junction/messaging/testing';
import { FixedClock } from '@junction/platform/testing';
import { type Payment } from '../../../domain/payment';
import { PaymentEventsPublisher } from './payment-events.publisher';

function payment(overrides: Partial<Payment> = {}): Payment {
  return {
    orderId: 'order-1',
    userId: 'user-1',
    amountCents: 4200,
    status: 'captured',
    declineReason: '',
    ...overrides,
  };
}

/** The publisher over a broker stand-in that keeps what it was given. */
function publisher() {
  const { publisher: broker, published } = recordingPublisher();
  const clock = new FixedClock('2026-03-04T05:06:07.000Z');
  return { published, events: new PaymentEventsPublisher(broker, clock) };
}

describe(PaymentEventsPublisher.name, () => {
  describe('chargeDecided', () => {
    it('publishes payment.captured for a captured payment, its id derived from the order', async () => {
      const { published, events } = publisher();
      await events.chargeDecided(payment({ amountCents: 1999 }));
      expect(published).toEqual([
        {
          routingKey: 'payment.captured',
          messageId: 'payment.captured:order-1',
          type: 'payment.captured',
          body: {
            messageId: 'payment.captured:order-1',
            type: 'payment.captured',
            occurredAt: '2026-03-04T05:06:07.000Z',
            orderId: 'order-1',
            amountCents: 1999,
          },
        },
      ]);
    });

    it('publishes payment.declined with the reason for a declined payment', async () => {
      const { published, events } = publisher();
      await events.chargeDecided(payment({ status: 'declined', declineReason: 'card_declined' }));
      expect(published).toEqual([
        {
          routingKey: 'payment.declined',
          messageId: 'payment.declined:order-1',
          type: 'payment.declined',
          body: {
            messageId: 'payment.declined:order-1',
            type: 'payment.declined',
            occurredAt: '2026-03-04T05:06:07.000Z',
            orderId: 'order-1',
            reason: 'card_declined',
          },
        },
      ]);
    });
  });
});
