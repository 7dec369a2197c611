import { inventoryV1, type ordersV1, ROUTING_KEYS } from '@junction/contracts';
import { type OutgoingEvent } from '@junction/messaging';
import { type Reservation } from '../domain/reservation';

/**
 * inventory.reserved or inventory.rejected for an order. The messageId is derived from the order,
 * so a redelivered order.placed republishes the same message and downstream dedups it.
 */
export function reservationOutcomeEvent(
  placed: ordersV1.OrderPlaced,
  reservation: Reservation,
): OutgoingEvent {
  const occurredAt = new Date().toISOString();
  if (reservation.status === 'reserved') {
    const type = ROUTING_KEYS.inventoryReserved;
    const messageId = `${type}:${placed.orderId}`;
    const body = inventoryV1.InventoryReserved.toJSON({
      messageId,
      type,
      occurredAt,
      orderId: placed.orderId,
      userId: placed.userId,
      totalCents: reservation.totalCents,
      paymentMethod: placed.paymentMethod,
      lines: [...reservation.lines],
    });
    return { routingKey: type, messageId, type, body };
  }
  const type = ROUTING_KEYS.inventoryRejected;
  const messageId = `${type}:${placed.orderId}`;
  const reason = reservation.status === 'rejected' ? reservation.reason : 'released';
  const body = inventoryV1.InventoryRejected.toJSON({
    messageId,
    type,
    occurredAt,
    orderId: placed.orderId,
    reason,
  });
  return { routingKey: type, messageId, type, body };
}
