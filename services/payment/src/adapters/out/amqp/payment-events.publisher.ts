import { paymentV1, ROUTING_KEYS } from '@junction/contracts';
import { EventPublisher, type OutgoingEvent } from '@junction/messaging';
import { Clock } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { type Payment } from '../../../domain/payment';
import { PaymentEvents } from '../../../domain/ports';

/**
 * Payment's events, built here and nowhere else: proto3 JSON of payment.captured or
 * payment.declined, published with confirms and `mandatory`: an outcome that reaches no queue
 * rejects (UnroutableEvent), so the handler fails and its inventory.reserved is retried — not
 * marked handled, never confirmed away. The messageId is derived from the order, so the retry (or a
 * redelivery) republishes the same message and downstream dedups it.
 */
@Injectable()
export class PaymentEventsPublisher extends PaymentEvents {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {
    super();
  }

  override async chargeDecided(payment: Payment): Promise<void> {
    await this.publisher.publish(this.outcomeOf(payment), { mandatory: true });
  }

  private outcomeOf(payment: Payment): OutgoingEvent {
    const occurredAt = this.clock.now().toISOString();
    if (payment.status === 'declined') {
      const type = ROUTING_KEYS.paymentDeclined;
      const messageId = `${type}:${payment.orderId}`;
      const body = paymentV1.PaymentDeclined.toJSON({
        messageId,
        type,
        occurredAt,
        orderId: payment.orderId,
        reason: payment.declineReason,
      });
      return { routingKey: type, messageId, type, body };
    }
    const type = ROUTING_KEYS.paymentCaptured;
    const messageId = `${type}:${payment.orderId}`;
    const body = paymentV1.PaymentCaptured.toJSON({
      messageId,
      type,
      occurredAt,
      orderId: payment.orderId,
      amountCents: payment.amountCents,
    });
    return { routingKey: type, messageId, type, body };
  }
}
