export const PAYMENT_STATUSES = ['captured', 'declined', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Payment {
  readonly orderId: string;
  readonly userId: string;
  readonly amountCents: number;
  readonly status: PaymentStatus;
  readonly declineReason: string;
}

export interface ChargeCommand {
  readonly orderId: string;
  readonly userId: string;
  readonly amountCents: number;
  readonly paymentMethod: string;
}
