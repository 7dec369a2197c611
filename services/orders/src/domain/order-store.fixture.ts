import { type Clock } from '@junction/platform';
import { type Order, type OrderStatus } from './order';
import { type IdempotencyClaim, OrderStore, type SerializedEvent } from './ports';

export interface Transition {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly reason: string;
  readonly totalCents?: number;
}

/**
 * For tests: an OrderStore in memory, with the rules of the real one (an order changes once,
 * from pending; the first claim of a key wins). It records every transition and outbox entry,
 * so tests read an order's fate from it.
 */
export class InMemoryOrderStore extends OrderStore {
  readonly orders = new Map<string, Order>();
  readonly transitions: Transition[] = [];
  readonly outbox: SerializedEvent[] = [];
  private readonly keys = new Map<string, { fingerprint: string; orderId: string }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  create(order: Order, event?: SerializedEvent): Promise<void> {
    this.orders.set(order.id, order);
    if (event !== undefined) this.outbox.push(event);
    return Promise.resolve();
  }

  transition(
    orderId: string,
    status: OrderStatus,
    reason: string,
    totalCents?: number,
  ): Promise<boolean> {
    const order = this.orders.get(orderId);
    if (order?.status !== 'pending') return Promise.resolve(false);
    this.transitions.push({
      orderId,
      status,
      reason,
      ...(totalCents === undefined ? {} : { totalCents }),
    });
    const at = this.clock.now().toISOString();
    this.orders.set(orderId, {
      ...order,
      status,
      reason,
      totalCents: totalCents ?? order.totalCents,
      updatedAt: at,
      history: [...order.history, { status, reason, at }],
    });
    return Promise.resolve(true);
  }

  find(orderId: string): Promise<Order | undefined> {
    return Promise.resolve(this.orders.get(orderId));
  }

  abandonedBlocking(olderThan: Date, limit = 100): Promise<string[]> {
    const abandoned = [...this.orders.values()]
      .filter((o) => o.mode === 'blocking' && o.status === 'pending')
      .filter((o) => Date.parse(o.createdAt) <= olderThan.getTime())
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .map((o) => o.id);
    return Promise.resolve(abandoned.slice(0, limit));
  }

  listIdsForUser(userId: string, limit: number): Promise<string[]> {
    const own = [...this.orders.values()]
      .filter((o) => o.userId === userId)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .map((o) => o.id);
    return Promise.resolve(own.slice(0, limit));
  }

  claimIdempotencyKey(
    userId: string,
    key: string,
    fingerprint: string,
    orderId: string,
  ): Promise<IdempotencyClaim> {
    const existing = this.keys.get(`${userId}:${key}`);
    if (existing) return Promise.resolve({ ...existing, claimed: false });
    this.keys.set(`${userId}:${key}`, { fingerprint, orderId });
    return Promise.resolve({ fingerprint, orderId, claimed: true });
  }
}
