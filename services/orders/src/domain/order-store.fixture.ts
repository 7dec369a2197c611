import { type Clock } from '@junction/platform';
import { type Order, type OrderStatus } from './order';
import {
  type IdempotencyBinding,
  type IdempotencyClaim,
  OrderStore,
  type SerializedEvent,
} from './ports';

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
  /** The orders listed to compensate, with when they were listed (ms). */
  readonly toCompensateList = new Map<string, number>();
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

  async rejectToCompensate(orderId: string, reason: string, at: Date): Promise<boolean> {
    if (!(await this.transition(orderId, 'rejected', reason))) return false;
    this.toCompensateList.set(orderId, at.getTime());
    return true;
  }

  markToCompensate(orderId: string, at: Date): Promise<void> {
    this.toCompensateList.set(orderId, at.getTime());
    return Promise.resolve();
  }

  toCompensate(listedBefore: Date, limit = 100): Promise<string[]> {
    const listed = [...this.toCompensateList]
      .filter(([, at]) => at <= listedBefore.getTime())
      .sort(([, a], [, b]) => a - b)
      .map(([orderId]) => orderId);
    return Promise.resolve(listed.slice(0, limit));
  }

  compensated(orderId: string, listedUpTo: Date): Promise<void> {
    const listed = this.toCompensateList.get(orderId);
    if (listed !== undefined && listed <= listedUpTo.getTime())
      this.toCompensateList.delete(orderId);
    return Promise.resolve();
  }

  overdueQueued(olderThan: Date, limit = 100): Promise<string[]> {
    const overdue = [...this.orders.values()]
      .filter((o) => o.mode === 'queued' && o.status === 'pending')
      .filter((o) => Date.parse(o.createdAt) <= olderThan.getTime())
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .map((o) => o.id);
    return Promise.resolve(overdue.slice(0, limit));
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

  createWithKey(
    order: Order,
    binding: IdempotencyBinding,
    event?: SerializedEvent,
  ): Promise<IdempotencyClaim> {
    const { userId, key, fingerprint, replacing } = binding;
    const existing = this.keys.get(`${userId}:${key}`);
    const stale =
      replacing !== undefined &&
      existing?.orderId === replacing.orderId &&
      existing.fingerprint === replacing.fingerprint;
    if (existing && !stale) return Promise.resolve({ ...existing, claimed: false });
    this.keys.set(`${userId}:${key}`, { fingerprint, orderId: order.id });
    this.orders.set(order.id, order);
    if (event !== undefined) this.outbox.push(event);
    return Promise.resolve({ fingerprint, orderId: order.id, claimed: true });
  }
}
