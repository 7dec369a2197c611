import { type Payment } from './payment';

/** Where payments are kept: one per order, ever. */
export abstract class PaymentStore {
  abstract find(orderId: string): Promise<Payment | undefined>;
  /** Stores the order's payment if it has none yet; true if this call stored it. */
  abstract createOnce(payment: Payment): Promise<boolean>;
  /** Moves a captured payment to refunded, once; false if it was not captured. */
  abstract markRefunded(orderId: string): Promise<boolean>;
}

/** What payment tells the rest of the checkout: how an order's charge went. */
export abstract class PaymentEvents {
  /** payment.captured or payment.declined for the payment of an order. */
  abstract chargeDecided(payment: Payment): Promise<void>;
}
