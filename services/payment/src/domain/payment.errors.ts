import { DomainError } from '@junction/platform';

export class PaymentNotFound extends DomainError {
  constructor(orderId: string) {
    super('not_found', `no payment for order ${orderId}`);
  }
}

export class PaymentNotRefundable extends DomainError {
  constructor(orderId: string, status: string) {
    super('failed_precondition', `payment for order ${orderId} is ${status}, not captured`);
  }
}

/**
 * The order was refunded (or voided) before any charge reached payment: the checkout was undone
 * and the order rejected, so a charge that arrives late must not take money.
 */
export class OrderVoided extends DomainError {
  constructor(orderId: string) {
    super('failed_precondition', `order ${orderId} was voided before it was charged`);
  }
}
