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
