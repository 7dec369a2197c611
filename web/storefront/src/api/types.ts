// The API's shapes the app reads (docs/openapi/*.json), as the services answer them.

/** docs/openapi: Error. */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly violations?: readonly { readonly field: string; readonly message: string }[];
  readonly correlationId?: string;
}

/** POST /auth/login, POST /auth/refresh. */
export interface TokenPair {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
}

/** GET /inventory/items. */
export interface StockedItem {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: number;
}

export type CheckoutMode = 'blocking' | 'queued';
export type OrderStatus = 'pending' | 'confirmed' | 'rejected';
export type PaymentMethod = 'pm_card_ok' | 'pm_card_declined';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

/** POST /orders, GET /orders/{id}, each event of GET /orders/{id}/events. */
export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly mode: CheckoutMode;
  readonly status: OrderStatus;
  /** Why it was rejected (out_of_stock, payment_declined, …); empty otherwise. */
  readonly reason: string;
  readonly lines: readonly OrderLine[];
  readonly paymentMethod: string;
  readonly totalCents: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly {
    readonly status: OrderStatus;
    readonly reason: string;
    readonly at: string;
  }[];
}

export const isTerminal = (status: OrderStatus): boolean => status !== 'pending';

export function formatPrice(cents: number): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
