import { inventoryV1 } from '@junction/contracts';
import { type Reservation } from '../../../domain/reservation';

const STATUS: Record<Reservation['status'], inventoryV1.ReservationStatus> = {
  reserved: inventoryV1.ReservationStatus.RESERVATION_STATUS_RESERVED,
  rejected: inventoryV1.ReservationStatus.RESERVATION_STATUS_REJECTED,
  released: inventoryV1.ReservationStatus.RESERVATION_STATUS_RELEASED,
};

export function toReservationMessage(reservation: Reservation): inventoryV1.Reservation {
  return {
    orderId: reservation.orderId,
    status: STATUS[reservation.status],
    reason: reservation.status === 'rejected' ? reservation.reason : '',
    totalCents: reservation.totalCents,
    lines: [...reservation.lines],
  };
}
