import { Injectable } from '@nestjs/common';
import { type Order, type OrderOutcome } from './order';
import { OrderNotFound } from './order.errors';
import { OrderStore } from './ports';

/** Reading orders (own ones only) and applying the outcome of a checkout. */
@Injectable()
export class OrderService {
  constructor(private readonly store: OrderStore) {}

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
}
