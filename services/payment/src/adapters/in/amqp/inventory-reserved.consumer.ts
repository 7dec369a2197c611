import { EVENTS, type InventoryReservedEvent } from '@junction/contracts';
import { type EventHandler } from '@junction/messaging';
import { InjectFault } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { OrderVoided } from '../../../domain/payment.errors';
import { PaymentService } from '../../../domain/payment.service';
import { PaymentEvents } from '../../../domain/ports';

/**
 * Queued checkout, step 2: charge a reserved order and say how it went. An order voided before
 * its charge (its checkout was undone and rejected already) is settled: nothing to charge or say.
 */
@Injectable()
export class InventoryReservedConsumer implements EventHandler<typeof EVENTS.inventoryReserved> {
  readonly event = EVENTS.inventoryReserved;

  constructor(
    private readonly payments: PaymentService,
    private readonly events: PaymentEvents,
  ) {}

  @InjectFault('charge')
  async handle(event: InventoryReservedEvent): Promise<void> {
    try {
      const payment = await this.payments.charge({
        orderId: event.orderId,
        userId: event.userId,
        amountCents: event.totalCents,
        paymentMethod: event.paymentMethod,
      });
      await this.events.chargeDecided(payment);
    } catch (error) {
      if (!(error instanceof OrderVoided)) throw error;
    }
  }
}
