import { Clock } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { type Order, type OrderOutcome } from './order';
import { OrderNotFound } from './order.errors';
import { OrderStore } from './ports';

/** Reading orders (own ones only) and applying the outcome of a checkout. */
@Injectable()
export class OrderService {
  constructor(
    private readonly store: OrderStore,
    private readonly clock: Clock,
  ) {}

  /** Another user's order is "not found", so its existence does not leak. */
  async getForUser(orderId: string, userId: string): Promise<Order> {
    const order = await this.store.find(orderId);
    if (order?.userId !== userId) throw new OrderNotFound(orderId);
    return order;
  }

  async listForUser(userId: string, limit = 50): Promise<Order[]> {
    const ids = await this.store.listIdsForUser(userId, limit);
    const orders = await Promise.all(ids.map((id) => this.store.find(id)));
    return orders.filter((order): order is Order => order !== undefined);
  }

  /** Records a terminal outcome; a duplicate or late outcome is a no-op (returns false). */
  complete(orderId: string, status: OrderOutcome, reason = '', totalCents?: number) {
    return this.store.transition(orderId, status, reason, totalCents);
  }

  /**
   * The queued checkout's end after a decline: the order is rejected and, in the same step,
   * listed to compensate. Inventory releases the stock on its own copy of payment.declined; the
   * listing is the backstop for a copy that never reached inventory's queue — payment.declined
   * is bound to two queues, and a publish routed to only one of them (inventory.events deleted,
   * not yet declared again) is not returned, so `mandatory` cannot see it. The sweep's release
   * is idempotent: after inventory's own, it changes nothing. Returns true when it rejected it.
   */
  paymentDeclined(orderId: string): Promise<boolean> {
    return this.store.rejectToCompensate(orderId, 'payment_declined', this.clock.now());
  }

  /**
   * The queued checkout's last step: its payment was captured, so the order is confirmed. A
   * capture for an order that was rejected meanwhile (timed out, and compensated before the
   * capture could be refunded) must not keep the money: the order is listed to compensate again,
   * and the next sweep refunds it. Returns true when it confirmed the order.
   */
  async paymentCaptured(orderId: string, amountCents: number): Promise<boolean> {
    if (await this.store.transition(orderId, 'confirmed', '', amountCents)) return true;
    const order = await this.store.find(orderId);
    if (order?.status === 'rejected') await this.store.markToCompensate(orderId, this.clock.now());
    return false;
  }
}
