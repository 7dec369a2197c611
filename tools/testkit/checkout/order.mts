// What a checkout is, as a client of POST /orders sends it. Node built-ins only, like every file
// of this folder: the load image (the Dockerfile's `load` stage) runs them without node_modules.

export const CHECKOUT_MODES = ['blocking', 'queued'] as const;
export type CheckoutMode = (typeof CHECKOUT_MODES)[number];

/** The payment methods payment's stand-in processor knows: one approved, one declined. */
export const CARDS = { approved: 'pm_card_ok', declined: 'pm_card_declined' } as const;

/** The SKU the catalog always has (seeded by inventory). */
export const DEFAULT_SKU = 'JNC-MUG';

/** A seeded SKU with stock for many orders (500), for tests that place a lot of them. */
export const PLENTIFUL_SKU = 'JNC-STICKER';

export interface OrderRequest {
  readonly sku: string;
  readonly quantity?: number;
  readonly paymentMethod?: string;
  readonly mode: CheckoutMode;
}

/** The body of POST /orders for one line (one unit and the approved card unless told). */
export function orderBody(order: OrderRequest): {
  lines: { sku: string; quantity: number }[];
  paymentMethod: string;
  mode: CheckoutMode;
} {
  return {
    lines: [{ sku: order.sku, quantity: order.quantity ?? 1 }],
    paymentMethod: order.paymentMethod ?? CARDS.approved,
    mode: order.mode,
  };
}

/** A 201 (blocking, terminal) or 202 (queued, pending): the order was taken. */
export function isAcceptedStatus(httpStatus: number | undefined): boolean {
  return httpStatus === 201 || httpStatus === 202;
}
