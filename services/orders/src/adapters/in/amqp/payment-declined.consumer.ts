import { EVENTS, type PaymentDeclinedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/**
 * Queued checkout, the end: the payment was declined. Inventory releases the stock; the order is
 * also listed to compensate, in case inventory's copy of the event was lost (OrderService).
 */
@Injectable()
export class PaymentDeclinedConsumer implements EventHandler<typeof EVENTS.paymentDeclined> {
  readonly event = EVENTS.paymentDeclined;

  constructor(private readonly orders: OrderService) {}

  async handle(event: PaymentDeclinedEvent): Promise<void> {
    await this.orders.paymentDeclined(event.orderId);
  }
}
