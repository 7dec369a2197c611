import { Clock, isDomainError } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { OrdersConfig } from '../config';
import { CheckoutCompensation } from './checkout-compensation';
import {
  isTerminal,
  isTransientRejection,
  type Order,
  type PlaceOrder,
  type PlaceOrderCommand,
} from './order';
import {
  DependencyUnavailable,
  IdempotencyKeyReused,
  IdempotentRequestInProgress,
  OrderNotFound,
} from './order.errors';
import {
  CheckoutEvents,
  type IdempotencyClaim,
  OrderStatusFeed,
  OrderStore,
  PaymentGateway,
  RequestFingerprint,
  type SerializedEvent,
  StockReserver,
} from './ports';

export interface PlacedOrder {
  readonly order: Order;
  /** false when an Idempotency-Key replayed an earlier order. */
  readonly created: boolean;
}

const REPLAY_WAIT_MS = 10_000;
const MAX_TAKEOVER_ROUNDS = 3;

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
    const order = newOrder(orderId, userId, request, this.clock.now());
    if (idempotencyKey === undefined) {
      await this.store.create(order, this.eventOf(order));
      return this.run(order);
    }
    const fingerprint = this.fingerprint.of(request);
    let replacing: IdempotencyClaim | undefined;
    // The key is taken over only from the binding found stale; if another retry took it over
    // first, that one's order is replayed instead (a few rounds at most, under contention).
    for (let round = 0; round < MAX_TAKEOVER_ROUNDS; round++) {
      const binding = { userId, key: idempotencyKey, fingerprint, replacing };
      const claim = await this.store.createWithKey(order, binding, this.eventOf(order));
      if (claim.claimed) return this.run(order);
      if (claim.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
      const earlier = await this.replay(claim.orderId, userId, request.mode);
      if (earlier !== undefined && !isTransientRejection(earlier))
        return { order: earlier, created: false };
      replacing = claim;
    }
    throw new IdempotentRequestInProgress();
  }

  private eventOf(order: Order): SerializedEvent | undefined {
    return order.mode === 'queued' ? this.events.orderPlaced(order) : undefined;
  }

  /** Runs a checkout whose order was just written (queued: its event with it, in the outbox). */
  private async run(order: Order): Promise<PlacedOrder> {
    if (order.mode === 'queued') {
      this.events.flush(order);
      return { order, created: true };
    }
    // One budget for the whole checkout: each gRPC call gets at most what is left of it.
    const deadline = new Date(this.clock.now().getTime() + this.config.checkoutBudgetMs);
    return { order: await this.checkoutBlocking(order, deadline), created: true };
  }

  /**
   * Reserve, then charge, over gRPC, within the checkout's budget (`deadline`); a decline
   * releases the stock. The caller waits.
   */
  private async checkoutBlocking(order: Order, deadline: Date): Promise<Order> {
    const reservation = await this.compensateOnFailure(order, 'inventory', () =>
      this.inventory.reserve(order.id, order.lines, deadline),
    );
    if (!reservation.reserved) return this.finish(order.id, 'rejected', reservation.reason);
    const charge = await this.compensateOnFailure(order, 'payment', () =>
      this.payment.charge(
        order.id,
        order.userId,
        reservation.totalCents,
        order.paymentMethod,
        deadline,
      ),
    );
    if (!charge.captured) {
      // An undo: it has its own budget, so a decline that came late still returns the stock.
      await this.compensateOnFailure(order, 'inventory', () =>
        this.inventory.release(order.id, this.compensationDeadline()),
      );
      return this.finish(order.id, 'rejected', 'payment_declined', reservation.totalCents);
    }
    return this.finish(order.id, 'confirmed', '', reservation.totalCents);
  }

  /**
   * A peer that fails or misses its deadline leaves the outcome unknown: undo what may have
   * happened and reject the order. The undo has a budget of its own (COMPENSATION_BUDGET_MS),
   * not what is left of the checkout's, which a timeout has spent. If even the undo cannot reach
   * a peer, the order stays in flight and the sweeper of abandoned checkouts finishes the undo
   * later. The caller gets 503 (with the peer's Retry-After, e.g. while its circuit is open) or
   * the peer's own error.
   */
  private async compensateOnFailure<T>(
    order: Order,
    peer: string,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const unavailable = isDomainError(error) && error.code === 'unavailable';
      if (await this.compensation.undo(order.id, this.compensationDeadline())) {
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

  /** The end of an undo's own budget, starting now. */
  private compensationDeadline(): Date {
    return new Date(this.clock.now().getTime() + this.config.compensationBudgetMs);
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

  /**
   * The order an earlier request with the same key placed; a blocking one is awaited to its
   * end. undefined when that order is gone (nothing to replay: the key may be taken over). A
   * blocking order still in flight after the wait is not replayed as if it had ended: the caller
   * gets a 503 and tries again.
   */
  private async replay(
    orderId: string,
    userId: string,
    mode: PlaceOrder['mode'],
  ): Promise<Order | undefined> {
    const deadline = this.clock.now().getTime() + REPLAY_WAIT_MS;
    for (;;) {
      const order = await this.store.find(orderId);
      if (order === undefined) return undefined;
      if (order.userId !== userId) throw new OrderNotFound(orderId);
      if (mode === 'queued' || order.mode === 'queued' || isTerminal(order.status)) return order;
      if (this.clock.now().getTime() > deadline) throw new IdempotentRequestInProgress();
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
