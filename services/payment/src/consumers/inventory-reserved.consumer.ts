import {
  inventoryReservedSchema,
  type InventoryReservedEvent,
  paymentV1,
  ROUTING_KEYS,
} from '@junction/contracts';
import { type EventHandler, EventPublisher, type OutgoingEvent } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { type Payment } from '../domain/payment';
import { PaymentService } from '../domain/payment.service';

/** Queued checkout, step 2: charge a reserved order and say how it went. */
@Injectable()
export class InventoryReservedConsumer implements EventHandler<typeof inventoryReservedSchema> {
  readonly routingKey = ROUTING_KEYS.inventoryReserved;
  readonly schema = inventoryReservedSchema;

  constructor(
    private readonly payments: PaymentService,
    private readonly publisher: EventPublisher,
  ) {}

  async handle(event: InventoryReservedEvent): Promise<void> {
    const payment = await this.payments.charge({
      orderId: event.orderId,
      userId: event.userId,
      amountCents: event.totalCents,
      paymentMethod: event.paymentMethod,
    });
    await this.publisher.publish(paymentOutcomeEvent(payment));
  }
}

/** payment.captured or payment.declined; the messageId is derived from the order (dedup). */
function paymentOutcomeEvent(payment: Payment): OutgoingEvent {
  const occurredAt = new Date().toISOString();
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
