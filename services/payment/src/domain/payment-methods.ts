/**
 * The test payment methods that make checkout outcomes deterministic. A real gateway adapter
 * would replace this class; nothing else in the domain changes.
 */
export class PaymentMethods {
  /** undefined = approved; otherwise the decline reason. */
  decide(paymentMethod: string): string | undefined {
    switch (paymentMethod) {
      case 'pm_card_ok':
        return undefined;
      case 'pm_card_declined':
        return 'card_declined';
      default:
        return 'unsupported_payment_method';
    }
  }
}
