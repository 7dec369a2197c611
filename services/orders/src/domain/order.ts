export const CHECKOUT_MODES = ['blocking', 'queued'] as const;
export type CheckoutMode = (typeof CHECKOUT_MODES)[number];

export const ORDER_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface StatusChange {
  readonly status: OrderStatus;
  readonly reason: string;
  readonly at: string;
}

export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly mode: CheckoutMode;
  readonly status: OrderStatus;
  /** Why an order was rejected: out_of_stock, unknown_sku, payment_declined, ... */
  readonly reason: string;
  readonly lines: readonly OrderLine[];
  readonly paymentMethod: string;
  readonly totalCents: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly StatusChange[];
}

export interface PlaceOrder {
  readonly lines: readonly OrderLine[];
  readonly paymentMethod: string;
  readonly mode: CheckoutMode;
}

export function isTerminal(status: OrderStatus): boolean {
  return status !== 'pending';
}

/**
 * Rejections that say nothing about the request, only that a peer or the process failed on
 * the way (the caller got a 503 or no answer): a retry under the same Idempotency-Key is a
 * fresh attempt, not a replay of this order.
 */
export const TRANSIENT_REJECTIONS = [
  'inventory_unavailable',
  'inventory_failed',
  'payment_unavailable',
  'payment_failed',
  'interrupted',
  'timeout',
] as const;

export function isTransientRejection(order: Order): boolean {
  return (
    order.status === 'rejected' &&
    (TRANSIENT_REJECTIONS as readonly string[]).includes(order.reason)
  );
}

/** The command to place an order: the request of a user, under the id chosen for its order. */
export interface PlaceOrderCommand {
  /**
   * The id the new order gets (from IdGenerator, chosen by the caller so that everything the
   * checkout does can be labelled with it from the start); unused when an Idempotency-Key
   * replays an earlier order.
   */
  readonly orderId: string;
  readonly userId: string;
  readonly request: PlaceOrder;
  /** Same key + same request = the same order, never a second one. */
  readonly idempotencyKey?: string | undefined;
}

/** The outcome of a checkout: confirmed, or rejected with a reason code. */
export type OrderOutcome = Exclude<OrderStatus, 'pending'>;
