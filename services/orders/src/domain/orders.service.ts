import { Injectable } from '@nestjs/common';
import { OrdersRepository } from '../store/orders.repository';
import { type Order, type OrderStatus } from './order';
import { OrderNotFound } from './orders.errors';

/** Reading orders (own ones only) and applying the outcome of a checkout. */
@Injectable()
export class OrdersService {
  constructor(private readonly repository: OrdersRepository) {}

  /** Another user's order is "not found", so its existence does not leak. */
  async getForUser(orderId: string, userId: string): Promise<Order> {
    const order = await this.repository.find(orderId);
    if (order?.userId !== userId) throw new OrderNotFound(orderId);
    return order;
  }

  async listForUser(userId: string, limit = 50): Promise<Order[]> {
    const ids = await this.repository.listIdsForUser(userId, limit);
    const orders = await Promise.all(ids.map((id) => this.repository.find(id)));
    return orders.filter((order): order is Order => order !== undefined);
  }

  /** Records a terminal outcome; a duplicate or late outcome is a no-op (returns false). */
  complete(
    orderId: string,
    status: Exclude<OrderStatus, 'pending'>,
    reason = '',
    totalCents?: number,
  ) {
    return this.repository.transition(orderId, status, reason, totalCents);
  }
}
