import { inventoryV1, ROUTING_KEYS } from '@junction/contracts';
import { EventPublisher, type OutgoingEvent } from '@junction/messaging';
import { Clock } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { InventoryEvents } from '../../../domain/ports';
import { type PlacedOrder, type Reservation } from '../../../domain/reservation';

/**
 * Inventory's events, built here and nowhere else: proto3 JSON of inventory.reserved or
 * inventory.rejected, published with confirms and `mandatory`: an outcome that reaches no queue
 * rejects (UnroutableEvent), so the handler fails and its order.placed is retried — not marked
 * handled, never confirmed away. The messageId is derived from the order, so the retry (or a
 * redelivery) republishes the same message and downstream dedups it.
 */
@Injectable()
export class InventoryEventsPublisher extends InventoryEvents {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {
    super();
  }

  override async reservationDecided(order: PlacedOrder, reservation: Reservation): Promise<void> {
    await this.publisher.publish(this.outcomeOf(order, reservation), { mandatory: true });
  }

  private outcomeOf(order: PlacedOrder, reservation: Reservation): OutgoingEvent {
    const occurredAt = this.clock.now().toISOString();
    if (reservation.status === 'reserved') {
      const type = ROUTING_KEYS.inventoryReserved;
      const messageId = `${type}:${order.orderId}`;
      const body = inventoryV1.InventoryReserved.toJSON({
        messageId,
        type,
        occurredAt,
        orderId: order.orderId,
        userId: order.userId,
        totalCents: reservation.totalCents,
        paymentMethod: order.paymentMethod,
        lines: [...reservation.lines],
      });
      return { routingKey: type, messageId, type, body };
    }
    const type = ROUTING_KEYS.inventoryRejected;
    const messageId = `${type}:${order.orderId}`;
    const reason = reservation.status === 'rejected' ? reservation.reason : 'released';
    const body = inventoryV1.InventoryRejected.toJSON({
      messageId,
      type,
      occurredAt,
      orderId: order.orderId,
      reason,
    });
    return { routingKey: type, messageId, type, body };
  }
}
