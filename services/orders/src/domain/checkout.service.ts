import { createHash, randomUUID } from 'node:crypto';
import { ordersV1, ROUTING_KEYS } from '@junction/contracts';
import {
  currentTraceContext,
  isDomainError,
  withCallBudget,
  withSpanBaggage,
} from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { InventoryClient } from '../clients/inventory.client';
import { PaymentClient } from '../clients/payment.client';
import { OrdersConfig } from '../config';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OrdersRepository } from '../store/orders.repository';
import { type OutboxEntry } from '../store/outbox';
import { OrderStatusStream } from '../store/order-status-stream';
import { CheckoutCompensation } from './checkout-compensation';
import { isTerminal, type Order, type PlaceOrder } from './order';
import { DependencyUnavailable, IdempotencyKeyReused, OrderNotFound } from './orders.errors';

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
    private readonly repository: OrdersRepository,
    private readonly inventory: InventoryClient,
    private readonly payment: PaymentClient,
    private readonly relay: OutboxRelay,
    private readonly statuses: OrderStatusStream,
    private readonly compensation: CheckoutCompensation,
    private readonly config: OrdersConfig,
  ) {}

  async place(userId: string, input: PlaceOrder, idempotencyKey?: string): Promise<PlacedOrder> {
    const orderId = randomUUID();
    if (idempotencyKey !== undefined) {
      const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex');
      const binding = await this.repository.claimIdempotencyKey(
        userId,
        idempotencyKey,
        fingerprint,
        orderId,
      );
      if (!binding.claimed) {
        if (binding.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
        return { order: await this.replay(binding.orderId, userId, input.mode), created: false };
      }
    }
    const order = newOrder(orderId, userId, input);
    // Every span of this checkout, in every service, carries the path and the order id.
    return withSpanBaggage({ 'checkout.path': order.mode, 'order.id': order.id }, () =>
      this.start(order),
    );
  }

  private async start(order: Order): Promise<PlacedOrder> {
    if (order.mode === 'queued') {
      await this.repository.create(order, outboxEntry(order));
      this.relay.kick();
      return { order, created: true };
    }
    await this.repository.create(order);
    // One budget for the whole checkout: each gRPC call gets at most what is left of it.
    const final = await withCallBudget(this.config.checkoutBudgetMs, () =>
      this.checkoutBlocking(order),
    );
    return { order: final, created: true };
  }

  /** Reserve, then charge, over gRPC; a decline releases the stock. The caller waits. */
  private async checkoutBlocking(order: Order): Promise<Order> {
    const reservation = await this.compensateOnFailure(order, 'inventory', () =>
      this.inventory.reserve(order.id, order.lines),
    );
    if (!reservation.reserved) return this.finish(order.id, 'rejected', reservation.reason);
    const charge = await this.compensateOnFailure(order, 'payment', () =>
      this.payment.charge(order.id, order.userId, reservation.totalCents, order.paymentMethod),
    );
    if (!charge.captured) {
      await this.compensateOnFailure(order, 'inventory', () => this.inventory.release(order.id));
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
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const unavailable = isDomainError(error) && error.code === 'unavailable';
      if (await this.compensation.undo(order.id)) {
        await this.repository.transition(
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
    await this.repository.transition(orderId, status, reason, totalCents);
    const order = await this.repository.find(orderId);
    if (!order) throw new OrderNotFound(orderId);
    return order;
  }

  /** The order an earlier request with the same key placed; a blocking one is awaited to its end. */
  private async replay(orderId: string, userId: string, mode: PlaceOrder['mode']): Promise<Order> {
    const deadline = Date.now() + REPLAY_WAIT_MS;
    for (;;) {
      const order = await this.repository.find(orderId);
      const settled = order !== undefined && (mode === 'queued' || isTerminal(order.status));
      if (settled && order.userId === userId) return order;
      if (Date.now() > deadline) {
        if (order?.userId === userId) return order;
        throw new OrderNotFound(orderId);
      }
      await new Promise<void>((resolve) => {
        const stop = this.statuses.watch(orderId, () => {
          stop();
          resolve();
        });
        setTimeout(() => {
          stop();
          resolve();
        }, 100);
      });
    }
  }
}

function newOrder(id: string, userId: string, input: PlaceOrder): Order {
  const now = new Date().toISOString();
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

/** The order.placed event, with the trace context it was created in (the relay resumes it). */
function outboxEntry(order: Order): string {
  const entry: OutboxEntry = { ...orderPlacedEvent(order), traceContext: currentTraceContext() };
  return JSON.stringify(entry);
}

function orderPlacedEvent(order: Order): {
  routingKey: string;
  messageId: string;
  type: string;
  body: unknown;
} {
  const type = ROUTING_KEYS.orderPlaced;
  const messageId = `${type}:${order.id}`;
  const body = ordersV1.OrderPlaced.toJSON({
    messageId,
    type,
    occurredAt: order.createdAt,
    orderId: order.id,
    userId: order.userId,
    lines: [...order.lines],
    paymentMethod: order.paymentMethod,
  });
  return { routingKey: type, messageId, type, body };
}
