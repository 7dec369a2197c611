import { EVENTS, type PaymentCapturedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/**
 * Queued checkout, the end: the payment was captured. Late for an order that ended already
 * (timed out), it changes nothing but makes sure the capture is refunded.
 */
@Injectable()
export class PaymentCapturedConsumer implements EventHandler<typeof EVENTS.paymentCaptured> {
  readonly event = EVENTS.paymentCaptured;

  constructor(private readonly orders: OrderService) {}

  async handle(event: PaymentCapturedEvent): Promise<void> {
    await this.orders.paymentCaptured(event.orderId, event.amountCents);
  }
}
