import { EVENTS, type PaymentCapturedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/** Queued checkout, the end: the payment was captured. */
@Injectable()
export class PaymentCapturedConsumer implements EventHandler<typeof EVENTS.paymentCaptured> {
  readonly event = EVENTS.paymentCaptured;

  constructor(private readonly orders: OrderService) {}

  async handle(event: PaymentCapturedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'confirmed', '', event.amountCents);
  }
}
