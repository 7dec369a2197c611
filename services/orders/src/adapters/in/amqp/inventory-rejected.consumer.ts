import { EVENTS, type InventoryRejectedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { OrderService } from '../../../domain/order.service';

/** Queued checkout, the end: inventory could not reserve the order. */
@Injectable()
export class InventoryRejectedConsumer implements EventHandler<typeof EVENTS.inventoryRejected> {
  readonly event = EVENTS.inventoryRejected;

  constructor(private readonly orders: OrderService) {}

  async handle(event: InventoryRejectedEvent): Promise<void> {
    await this.orders.complete(event.orderId, 'rejected', event.reason);
  }
}
