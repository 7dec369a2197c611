import { paymentV1 } from '@junction/contracts';
import { type Payment } from '../../../domain/payment';

const STATUS: Record<Payment['status'], paymentV1.PaymentStatus> = {
  captured: paymentV1.PaymentStatus.PAYMENT_STATUS_CAPTURED,
  declined: paymentV1.PaymentStatus.PAYMENT_STATUS_DECLINED,
  refunded: paymentV1.PaymentStatus.PAYMENT_STATUS_REFUNDED,
};

export function toPaymentMessage(payment: Payment): paymentV1.Payment {
  return {
    orderId: payment.orderId,
    userId: payment.userId,
    amountCents: payment.amountCents,
    status: STATUS[payment.status],
    declineReason: payment.declineReason,
  };
}
