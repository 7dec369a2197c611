import { EVENTS, type PaymentDeclinedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/** Queued checkout, the end: the payment was declined (inventory releases the stock). */
@Injectable()
export class PaymentDeclinedConsumer implements EventHandler<typeof EVENTS.paymentDeclined> {
  readonly event = EVENTS.paymentDeclined;

  constructor(private readonly orders: OrderService) {}

  async handle(event: PaymentDeclinedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'rejected', 'payment_declined');
  }
}
