import { isDomainError } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { PaymentGateway, StockReserver } from './ports';

/**
 * Undoes whatever part of a blocking checkout may have happened: returns the stock and refunds
 * the charge. Both are idempotent per order, so undoing twice, or undoing what never happened,
 * is safe. Used when a peer fails mid-checkout and by the sweeper of abandoned checkouts.
 */
@Injectable()
export class CheckoutCompensation {
  constructor(
    private readonly inventory: StockReserver,
    private readonly payment: PaymentGateway,
  ) {}

  /**
   * true when everything is undone; false when a peer could not be reached (try again later).
   * `deadline`: the end of the undo's own budget (COMPENSATION_BUDGET_MS), when undoing inside a
   * checkout — never what is left of the checkout's, which the failure may have spent.
   */
  async undo(orderId: string, deadline?: Date): Promise<boolean> {
    const [release, refund] = await Promise.allSettled([
      this.inventory.release(orderId, deadline),
      this.payment.refund(orderId, deadline),
    ]);
    return (
      release.status === 'fulfilled' &&
      (refund.status === 'fulfilled' || nothingToRefund(refund.reason))
    );
  }
}

/** No payment (not_found) or a declined one (failed_precondition): nothing was charged. */
function nothingToRefund(error: unknown): boolean {
  return (
    isDomainError(error) && (error.code === 'not_found' || error.code === 'failed_precondition')
  );
}
