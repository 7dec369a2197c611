import { type Payment } from './payment';

/**
 * What `createOnce` did: stored the payment, found one already there, or found the order voided
 * (refunded before any charge), so nothing may be stored for it.
 */
export type CreateOutcome = 'created' | 'exists' | 'voided';

/** Where payments are kept: one per order, ever — or none, once the order is voided. */
export abstract class PaymentStore {
  abstract find(orderId: string): Promise<Payment | undefined>;
  /**
   * Stores the order's payment if it has none yet and is not voided, atomically with respect to
   * `voidUnlessCharged`.
   */
  abstract createOnce(payment: Payment): Promise<CreateOutcome>;
  /**
   * Marks an order without a payment as voided, so no payment can be stored for it afterwards;
   * atomic with respect to `createOnce`. true if the order is voided (now or already), false if
   * it has a payment.
   */
  abstract voidUnlessCharged(orderId: string): Promise<boolean>;
  /** Moves a captured payment to refunded, once; false if it was not captured. */
  abstract markRefunded(orderId: string): Promise<boolean>;
}

/** What payment tells the rest of the checkout: how an order's charge went. */
export abstract class PaymentEvents {
  /** payment.captured or payment.declined for the payment of an order. */
  abstract chargeDecided(payment: Payment): Promise<void>;
}
