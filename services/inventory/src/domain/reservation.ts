export interface ReservationLine {
  readonly sku: string;
  readonly quantity: number;
}

export const REJECTION_REASONS = ['out_of_stock', 'unknown_sku'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type Reservation =
  | {
      readonly orderId: string;
      readonly status: 'reserved' | 'released';
      readonly lines: readonly ReservationLine[];
      readonly totalCents: number;
    }
  | {
      readonly orderId: string;
      readonly status: 'rejected';
      readonly reason: RejectionReason;
      readonly lines: readonly ReservationLine[];
      readonly totalCents: 0;
    };

/** The placed order a reservation is for: what its outcome event tells payment. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly paymentMethod: string;
}
