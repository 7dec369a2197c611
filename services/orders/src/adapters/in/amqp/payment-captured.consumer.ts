import {
  paymentCapturedSchema,
  type PaymentCapturedEvent,
  ROUTING_KEYS,
} from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/** Queued checkout, the end: the payment was captured. */
@Injectable()
export class PaymentCapturedConsumer implements EventHandler<typeof paymentCapturedSchema> {
  readonly routingKey = ROUTING_KEYS.paymentCaptured;
  readonly schema = paymentCapturedSchema;

  constructor(private readonly orders: OrderService) {}

  async handle(event: PaymentCapturedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'confirmed', '', event.amountCents);
  }
}
