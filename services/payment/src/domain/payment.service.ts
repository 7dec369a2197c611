import { Injectable } from '@nestjs/common';
import { type ChargeCommand, type Payment } from './payment';
import { PaymentNotFound, PaymentNotRefundable } from './payment.errors';
import { PaymentMethods } from './payment-methods';
import { PaymentStore } from './ports';

/**
 * Payment's domain operations. The blocking gRPC handler and the queued inventory.reserved
 * consumer call the same `charge`.
 */
@Injectable()
export class PaymentService {
  constructor(
    private readonly store: PaymentStore,
    private readonly methods: PaymentMethods,
  ) {}

  /** Charges an order once; a retry or redelivery returns the first outcome unchanged. */
  async charge(command: ChargeCommand): Promise<Payment> {
    const existing = await this.store.find(command.orderId);
    if (existing) return existing;
    const declineReason = this.methods.decide(command.paymentMethod);
    const payment: Payment = {
      orderId: command.orderId,
      userId: command.userId,
      amountCents: command.amountCents,
      status: declineReason === undefined ? 'captured' : 'declined',
      declineReason: declineReason ?? '',
    };
    await this.store.createOnce(payment);
    return this.get(command.orderId);
  }

  async refund(orderId: string): Promise<Payment> {
    const payment = await this.get(orderId);
    if (payment.status === 'refunded') return payment;
    if (!(await this.store.markRefunded(orderId)))
      throw new PaymentNotRefundable(orderId, payment.status);
    return this.get(orderId);
  }

  /** A user sees only their own payments: another user's is "not found", not "forbidden". */
  async getForUser(orderId: string, userId: string): Promise<Payment> {
    const payment = await this.store.find(orderId);
    if (payment?.userId !== userId) throw new PaymentNotFound(orderId);
    return payment;
  }

  private async get(orderId: string): Promise<Payment> {
    const payment = await this.store.find(orderId);
    if (!payment) throw new PaymentNotFound(orderId);
    return payment;
  }
}
