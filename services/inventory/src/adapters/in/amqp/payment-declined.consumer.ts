import { EVENTS, type PaymentDeclinedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { InjectFault } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { InventoryService } from '../../../domain/inventory.service';

/** Queued checkout, compensation: a declined payment returns the order's stock. */
@Injectable()
export class PaymentDeclinedConsumer implements EventHandler<typeof EVENTS.paymentDeclined> {
  readonly event = EVENTS.paymentDeclined;

  constructor(private readonly inventory: InventoryService) {}

  @InjectFault('release')
  async handle(event: PaymentDeclinedEvent): Promise<void> {
    await this.inventory.release(event.orderId);
  }
}
