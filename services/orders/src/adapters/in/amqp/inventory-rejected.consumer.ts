import {
  inventoryRejectedSchema,
  type InventoryRejectedEvent,
  ROUTING_KEYS,
} from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/** Queued checkout, the end: inventory could not reserve the order. */
@Injectable()
export class InventoryRejectedConsumer implements EventHandler<typeof inventoryRejectedSchema> {
  readonly routingKey = ROUTING_KEYS.inventoryRejected;
  readonly schema = inventoryRejectedSchema;

  constructor(private readonly orders: OrderService) {}

  async handle(event: InventoryRejectedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'rejected', event.reason);
  }
}
