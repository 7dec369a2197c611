import { EVENTS, type OrderPlacedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { InjectFault } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { InventoryService } from '../../../domain/inventory.service';
import { InventoryEvents } from '../../../domain/ports';

/** Queued checkout, step 1: reserve the stock of a placed order and say how it went. */
@Injectable()
export class OrderPlacedConsumer implements EventHandler<typeof EVENTS.orderPlaced> {
  readonly event = EVENTS.orderPlaced;

  constructor(
    private readonly inventory: InventoryService,
    private readonly events: InventoryEvents,
  ) {}

  @InjectFault('reserve')
  async handle(event: OrderPlacedEvent): Promise<void> {
    const reservation = await this.inventory.reserve(event.orderId, event.lines);
    await this.events.reservationDecided(event, reservation);
  }
}
