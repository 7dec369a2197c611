import {
  inventoryRejectedSchema,
  type InventoryRejectedEvent,
  paymentCapturedSchema,
  type PaymentCapturedEvent,
  paymentDeclinedSchema,
  type PaymentDeclinedEvent,
  ROUTING_KEYS,
} from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrdersService } from '../domain/orders.service';

/** Queued checkout, the end: inventory could not reserve the order. */
@Injectable()
export class InventoryRejectedConsumer implements EventHandler<typeof inventoryRejectedSchema> {
  readonly routingKey = ROUTING_KEYS.inventoryRejected;
  readonly schema = inventoryRejectedSchema;

  constructor(private readonly orders: OrdersService) {}

  async handle(event: InventoryRejectedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'rejected', event.reason);
  }
}

/** Queued checkout, the end: the payment was captured. */
@Injectable()
export class PaymentCapturedConsumer implements EventHandler<typeof paymentCapturedSchema> {
  readonly routingKey = ROUTING_KEYS.paymentCaptured;
  readonly schema = paymentCapturedSchema;

  constructor(private readonly orders: OrdersService) {}

  async handle(event: PaymentCapturedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'confirmed', '', event.amountCents);
  }
}

/** Queued checkout, the end: the payment was declined (inventory releases the stock). */
@Injectable()
export class PaymentDeclinedConsumer implements EventHandler<typeof paymentDeclinedSchema> {
  readonly routingKey = ROUTING_KEYS.paymentDeclined;
  readonly schema = paymentDeclinedSchema;

  constructor(private readonly orders: OrdersService) {}

  async handle(event: PaymentDeclinedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'rejected', 'payment_declined');
  }
}
