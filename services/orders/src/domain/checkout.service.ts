import { Clock, isDomainError } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { OrdersConfig } from '../config';
import { CheckoutCompensation } from './checkout-compensation';
import { isTerminal, type Order, type PlaceOrder, type PlaceOrderCommand } from './order';
import { DependencyUnavailable, IdempotencyKeyReused, OrderNotFound } from './order.errors';
import {
  CheckoutEvents,
  OrderStatusFeed,
  OrderStore,
  PaymentGateway,
  RequestFingerprint,
  StockReserver,
} from './ports';

export interface PlacedOrder {
  readonly order: Order;
  /** false when an Idempotency-Key replayed an earlier order. */
  readonly created: boolean;
}

const REPLAY_WAIT_MS = 10_000;

/** The two checkout paths. Both end in the same states; only how they get there differs. */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly store: OrderStore,
    private readonly inventory: StockReserver,
    private readonly payment: PaymentGateway,
    private readonly events: CheckoutEvents,
    private readonly statuses: OrderStatusFeed,
    private readonly fingerprint: RequestFingerprint,
    private readonly compensation: CheckoutCompensation,
    private readonly clock: Clock,
    private readonly config: OrdersConfig,
  ) {}

  async place(command: PlaceOrderCommand): Promise<PlacedOrder> {
    const { orderId, userId, request, idempotencyKey } = command;
    if (idempotencyKey !== undefined) {
      const fingerprint = this.fingerprint.of(request);
      const binding = await this.store.claimIdempotencyKey(
        userId,
        idempotencyKey,
        fingerprint,
        orderId,
      );
      if (!binding.claimed) {
        if (binding.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
        return { order: await this.replay(binding.orderId, userId, request.mode), created: false };
      }
    }
    return this.start(newOrder(orderId, userId, request, this.clock.now()));
  }

  private async start(order: Order): Promise<PlacedOrder> {
    if (order.mode === 'queued') {
      await this.store.create(order, this.events.orderPlaced(order));
      this.events.flush();
      return { order, created: true };
    }
    await this.store.create(order);
    // One budget for the whole checkout: each gRPC call gets at most what is left of it.
    const deadline = new Date(this.clock.now().getTime() + this.config.checkoutBudgetMs);
    return { order: await this.checkoutBlocking(order, deadline), created: true };
  }

  /** Reserve, then charge, over gRPC; a decline releases the stock. The caller waits. */
  private async checkoutBlocking(order: Order, deadline: Date): Promise<Order> {
    const reservation = await this.compensateOnFailure(order, 'inventory', deadline, () =>
      this.inventory.reserve(order.id, order.lines, deadline),
    );
    if (!reservation.reserved) return this.finish(order.id, 'rejected', reservation.reason);
    const charge = await this.compensateOnFailure(order, 'payment', deadline, () =>
      this.payment.charge(
        order.id,
        order.userId,
        reservation.totalCents,
        order.paymentMethod,
        deadline,
      ),
    );
    if (!charge.captured) {
      await this.compensateOnFailure(order, 'inventory', deadline, () =>
        this.inventory.release(order.id, deadline),
      );
      return this.finish(order.id, 'rejected', 'payment_declined', reservation.totalCents);
    }
    return this.finish(order.id, 'confirmed', '', reservation.totalCents);
  }

  /**
   * A peer that fails or misses its deadline leaves the outcome unknown: undo what may have
   * happened and reject the order. If even the undo cannot reach a peer, the order stays in
   * flight and the sweeper of abandoned checkouts finishes the undo later. The caller gets 503
   * (with the peer's Retry-After, e.g. while its circuit is open) or the peer's own error.
   */
  private async compensateOnFailure<T>(
    order: Order,
    peer: string,
    deadline: Date,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const unavailable = isDomainError(error) && error.code === 'unavailable';
      if (await this.compensation.undo(order.id, deadline)) {
        await this.store.transition(
          order.id,
          'rejected',
          `${peer}_${unavailable ? 'unavailable' : 'failed'}`,
        );
      }
      if (unavailable)
        throw new DependencyUnavailable(peer, error.message, error.retryAfterSeconds);
      throw error;
    }
  }

  private async finish(
    orderId: string,
    status: 'confirmed' | 'rejected',
    reason: string,
    totalCents?: number,
  ) {
    await this.store.transition(orderId, status, reason, totalCents);
    const order = await this.store.find(orderId);
    if (!order) throw new OrderNotFound(orderId);
    return order;
  }

  /** The order an earlier request with the same key placed; a blocking one is awaited to its end. */
  private async replay(orderId: string, userId: string, mode: PlaceOrder['mode']): Promise<Order> {
    const deadline = this.clock.now().getTime() + REPLAY_WAIT_MS;
    for (;;) {
      const order = await this.store.find(orderId);
      const settled = order !== undefined && (mode === 'queued' || isTerminal(order.status));
      if (settled && order.userId === userId) return order;
      if (this.clock.now().getTime() > deadline) {
        if (order?.userId === userId) return order;
        throw new OrderNotFound(orderId);
      }
      await this.nextChange(orderId, 100);
    }
  }

  /** Resolves at the order's next status change, or after `ms` at the latest. */
  private nextChange(orderId: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const stop = this.statuses.watch(orderId, () => {
        stop();
        resolve();
      });
      setTimeout(() => {
        stop();
        resolve();
      }, ms);
    });
  }
}

function newOrder(id: string, userId: string, input: PlaceOrder, at: Date): Order {
  const now = at.toISOString();
  return {
    id,
    userId,
    mode: input.mode,
    status: 'pending',
    reason: '',
    lines: input.lines,
    paymentMethod: input.paymentMethod,
    totalCents: 0,
    createdAt: now,
    updatedAt: now,
    history: [{ status: 'pending', reason: '', at: now }],
  };
}
