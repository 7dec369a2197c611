import { ordersV1, orderPlacedSchema, ROUTING_KEYS } from '@junction/contracts';
import { type EventHandler, EventPublisher } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { InventoryService } from '../domain/inventory.service';
import { reservationOutcomeEvent } from './reservation-outcome.event';

/** Queued checkout, step 1: reserve the stock of a placed order and say how it went. */
@Injectable()
export class OrderPlacedConsumer implements EventHandler<typeof orderPlacedSchema> {
  readonly routingKey = ROUTING_KEYS.orderPlaced;
  readonly schema = orderPlacedSchema;

  constructor(
    private readonly inventory: InventoryService,
    private readonly publisher: EventPublisher,
  ) {}

  async handle(event: ordersV1.OrderPlaced): Promise<void> {
    const reservation = await this.inventory.reserve(event.orderId, event.lines);
    await this.publisher.publish(reservationOutcomeEvent(event, reservation));
  }
}
