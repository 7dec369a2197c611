import { Injectable } from '@nestjs/common';
import { type ChargeCommand, type Payment } from './payment';
import { OrderVoided, PaymentNotFound, PaymentNotRefundable } from './payment.errors';
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

  /**
   * Charges an order once; a retry or redelivery returns the first outcome unchanged. An order
   * that was refunded before any charge (voided) is never charged: OrderVoided.
   */
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
    if ((await this.store.createOnce(payment)) === 'voided') throw new OrderVoided(command.orderId);
    return this.get(command.orderId);
  }

  /**
   * Refunds the order's captured payment, once. An order without a payment is voided instead
   * (and answered not_found, nothing was charged): a charge that arrives later is refused, so an
   * undone checkout never ends with money taken.
   */
  async refund(orderId: string): Promise<Payment> {
    const payment = (await this.store.find(orderId)) ?? (await this.voidUnlessCharged(orderId));
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

  /** Voids an order without a payment; if a charge got there first, returns its payment. */
  private async voidUnlessCharged(orderId: string): Promise<Payment> {
    if (await this.store.voidUnlessCharged(orderId)) throw new PaymentNotFound(orderId);
    return this.get(orderId);
  }

  private async get(orderId: string): Promise<Payment> {
    const payment = await this.store.find(orderId);
    if (!payment) throw new PaymentNotFound(orderId);
    return payment;
  }
}
