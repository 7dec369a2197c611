import { randomUUID } from 'node:crypto';
import { orderPlacedSchema, ROUTING_KEYS } from '@junction/contracts';
import { DomainError } from '@junction/platform';
import { mockOf } from '@junction/platform/testing';
import { type InventoryClient, type ReservationOutcome } from '../clients/inventory.client';
import { type ChargeOutcome, type PaymentClient } from '../clients/payment.client';
import { type OutboxRelay } from '../outbox/outbox-relay';
import { type OrderStatusStream } from '../store/order-status-stream';
import { type OrdersRepository } from '../store/orders.repository';
import { OrdersConfig } from '../config';
import { CheckoutCompensation } from './checkout-compensation';
import { CheckoutService } from './checkout.service';
import { type Order, type OrderStatus, type PlaceOrder } from './order';

function placeOrder(overrides: Partial<PlaceOrder> = {}): PlaceOrder {
  return {
    lines: [{ sku: 'JNC-MUG', quantity: 2 }],
    paymentMethod: 'pm_card_ok',
    mode: 'blocking',
    ...overrides,
  };
}

interface Transition {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly reason: string;
  readonly totalCents?: number;
}

interface PeerBehaviour {
  /** What inventory answers to Reserve (default: reserved, 3700 cents). */
  readonly reserve?: () => Promise<ReservationOutcome>;
  /** What payment answers to Charge (default: captured). */
  readonly charge?: () => Promise<ChargeOutcome>;
  /** Whether Release and Refund fail (default: they succeed). */
  readonly compensationFails?: boolean;
}

const peerUnavailable = (peer: string) =>
  Promise.reject(new DomainError('unavailable', `${peer} unavailable: connect ECONNREFUSED`));

/**
 * CheckoutService over automocked adapters. The repository mock keeps orders in a map and
 * records every transition, so tests read the order's fate from it; the peers record what
 * they were asked to do (charges, releases, refunds).
 */
function checkout(peers: PeerBehaviour = {}) {
  const orders = new Map<string, Order>();
  const transitions: Transition[] = [];
  const outbox: string[] = [];
  const keys = new Map<string, { fingerprint: string; orderId: string }>();
  const charges: { orderId: string; amountCents: number }[] = [];
  const released: string[] = [];
  const refunded: string[] = [];
  let kicks = 0;

  const repository = mockOf<OrdersRepository>();
  repository.create.mockImplementation((order, outboxEntry) => {
    orders.set(order.id, order);
    if (outboxEntry !== undefined) outbox.push(outboxEntry);
    return Promise.resolve();
  });
  repository.find.mockImplementation((id) => Promise.resolve(orders.get(id)));
  repository.transition.mockImplementation((orderId, status, reason, totalCents) => {
    const order = orders.get(orderId);
    if (order?.status !== 'pending') return Promise.resolve(false);
    transitions.push({
      orderId,
      status,
      reason,
      ...(totalCents === undefined ? {} : { totalCents }),
    });
    const at = new Date().toISOString();
    orders.set(orderId, {
      ...order,
      status,
      reason,
      totalCents: totalCents ?? order.totalCents,
      updatedAt: at,
      history: [...order.history, { status, reason, at }],
    });
    return Promise.resolve(true);
  });
  repository.claimIdempotencyKey.mockImplementation((userId, key, fingerprint, orderId) => {
    const existing = keys.get(`${userId}:${key}`);
    if (existing) return Promise.resolve({ ...existing, claimed: false });
    keys.set(`${userId}:${key}`, { fingerprint, orderId });
    return Promise.resolve({ fingerprint, orderId, claimed: true });
  });

  const inventory = mockOf<InventoryClient>();
  inventory.reserve.mockImplementation(
    peers.reserve ?? (() => Promise.resolve({ reserved: true, totalCents: 3700 })),
  );
  inventory.release.mockImplementation((orderId) => {
    if (peers.compensationFails) return peerUnavailable('inventory');
    released.push(orderId);
    return Promise.resolve();
  });

  const payment = mockOf<PaymentClient>();
  payment.charge.mockImplementation((orderId, _userId, amountCents) => {
    charges.push({ orderId, amountCents });
    return peers.charge ? peers.charge() : Promise.resolve({ captured: true });
  });
  payment.refund.mockImplementation((orderId) => {
    if (peers.compensationFails) return peerUnavailable('payment');
    refunded.push(orderId);
    return Promise.resolve();
  });

  const relay = mockOf<OutboxRelay>();
  relay.kick.mockImplementation(() => {
    kicks += 1;
  });
  const statuses = mockOf<OrderStatusStream>();
  statuses.watch.mockImplementation(() => () => undefined);

  const config = new OrdersConfig(OrdersConfig.env.parse({}));
  const compensation = new CheckoutCompensation(inventory, payment);
  const service = new CheckoutService(
    repository,
    inventory,
    payment,
    relay,
    statuses,
    compensation,
    config,
  );
  return {
    service,
    orders,
    transitions,
    outbox,
    charges,
    released,
    refunded,
    kicks: () => kicks,
  };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof DomainError)) {
    throw new Error(`expected a DomainError, got ${String(outcome)}`);
  }
  return outcome;
}

describe(CheckoutService.name, () => {
  describe('place (blocking)', () => {
    it('confirms the order once the stock is reserved and the payment captured', async () => {
      const world = checkout();
      const { order, created } = await world.service.place('user-1', placeOrder());
      expect(created).toBe(true);
      expect(order).toMatchObject({ status: 'confirmed', reason: '', totalCents: 3700 });
      expect(order.history.map((change) => change.status)).toEqual(['pending', 'confirmed']);
      expect(world.charges).toEqual([{ orderId: order.id, amountCents: 3700 }]);
    });

    it('rejects the order with the reason of a rejected reservation, charging nothing', async () => {
      const world = checkout({
        reserve: () => Promise.resolve({ reserved: false, reason: 'out_of_stock' }),
      });
      const { order } = await world.service.place('user-1', placeOrder());
      expect(world.transitions).toEqual([
        { orderId: order.id, status: 'rejected', reason: 'out_of_stock' },
      ]);
      expect(order).toMatchObject({ status: 'rejected', reason: 'out_of_stock' });
      expect(world.charges).toEqual([]);
    });

    it('rejects the order with payment_declined and releases its stock on a decline', async () => {
      const world = checkout({
        charge: () => Promise.resolve({ captured: false, reason: 'card_declined' }),
      });
      const { order } = await world.service.place(
        'user-1',
        placeOrder({ paymentMethod: 'pm_card_declined' }),
      );
      expect(world.transitions).toEqual([
        { orderId: order.id, status: 'rejected', reason: 'payment_declined', totalCents: 3700 },
      ]);
      expect(order.status).toBe('rejected');
      expect(world.released).toEqual([order.id]);
    });

    it('answers unavailable and rejects the order with payment_unavailable when payment is down', async () => {
      const world = checkout({ charge: () => peerUnavailable('payment') });
      const error = await failure(world.service.place('user-1', placeOrder()));

      expect(error).toMatchObject({
        code: 'unavailable',
        message:
          'payment is unavailable (payment unavailable: connect ECONNREFUSED); the order did not go through, try again',
        retryAfterSeconds: 2,
      });
      const [order] = [...world.orders.values()];
      expect(world.transitions).toEqual([
        { orderId: order!.id, status: 'rejected', reason: 'payment_unavailable' },
      ]);
      expect(world.orders.get(order!.id)?.status).toBe('rejected');
      // The charge may have landed before the deadline: undo both sides.
      expect(world.released).toEqual([order!.id]);
      expect(world.refunded).toEqual([order!.id]);
    });

    it('answers unavailable and rejects with inventory_unavailable when inventory is down', async () => {
      const world = checkout({ reserve: () => peerUnavailable('inventory') });
      const error = await failure(world.service.place('user-1', placeOrder()));
      expect(error.code).toBe('unavailable');
      expect(world.transitions.map((t) => t.reason)).toEqual(['inventory_unavailable']);
      expect(world.charges).toEqual([]);
    });

    it('leaves the order in flight for the sweeper when the compensation itself fails', async () => {
      const world = checkout({
        charge: () => peerUnavailable('payment'),
        compensationFails: true,
      });
      const error = await failure(world.service.place('user-1', placeOrder()));
      expect(error.code).toBe('unavailable');
      // Rejecting now would hide stock that may still be reserved; the sweeper undoes it later.
      expect([...world.orders.values()].map((o) => o.status)).toEqual(['pending']);
      expect(world.transitions).toEqual([]);
    });

    it('passes a peer error other than unavailable through unchanged', async () => {
      const invalid = new DomainError('invalid_argument', 'lines.0.sku: must be a SKU');
      const world = checkout({ reserve: () => Promise.reject(invalid) });
      await expect(world.service.place('user-1', placeOrder())).rejects.toBe(invalid);
      expect(world.transitions.map((t) => t.reason)).toEqual(['inventory_failed']);
    });
  });

  describe('place (queued)', () => {
    it('stores a pending order with its order.placed event in the outbox and wakes the relay', async () => {
      const world = checkout();
      const userId = randomUUID();
      const input = placeOrder({ mode: 'queued' });
      const { order, created } = await world.service.place(userId, input);

      expect(created).toBe(true);
      expect(order).toMatchObject({ status: 'pending', mode: 'queued', userId });
      expect(world.outbox).toHaveLength(1);
      const event = JSON.parse(world.outbox[0]!) as {
        routingKey: string;
        messageId: string;
        body: unknown;
      };
      expect(event.routingKey).toBe(ROUTING_KEYS.orderPlaced);
      expect(event.messageId).toBe(`order.placed:${order.id}`);
      expect(orderPlacedSchema.parse(event.body)).toMatchObject({
        orderId: order.id,
        userId,
        lines: input.lines,
        paymentMethod: input.paymentMethod,
      });
      expect(world.kicks()).toBe(1);
      expect(world.charges).toEqual([]);
    });
  });

  describe('place (Idempotency-Key)', () => {
    it('answers a repeated request with the same order, charging once', async () => {
      const world = checkout();
      const first = await world.service.place('user-1', placeOrder(), 'key-1');
      const again = await world.service.place('user-1', placeOrder(), 'key-1');
      expect(again).toEqual({ order: first.order, created: false });
      expect(world.orders.size).toBe(1);
      expect(world.charges).toHaveLength(1);
    });

    it('refuses the key with another body as a conflict, placing nothing', async () => {
      const world = checkout();
      await world.service.place('user-1', placeOrder(), 'key-2');
      const error = await failure(
        world.service.place(
          'user-1',
          placeOrder({ lines: [{ sku: 'JNC-CAP', quantity: 1 }] }),
          'key-2',
        ),
      );
      expect(error).toMatchObject({
        code: 'conflict',
        message: 'this Idempotency-Key was already used with a different request body',
      });
      expect(world.orders.size).toBe(1);
      expect(world.charges).toHaveLength(1);
    });

    it("keeps one user's key apart from another user's", async () => {
      const world = checkout();
      const alice = await world.service.place('alice', placeOrder(), 'same-key');
      const bob = await world.service.place('bob', placeOrder(), 'same-key');
      expect(bob.created).toBe(true);
      expect(bob.order.id).not.toBe(alice.order.id);
    });

    it('answers a repeated queued request with the pending order at once', async () => {
      const world = checkout();
      const input = placeOrder({ mode: 'queued' });
      const first = await world.service.place('user-1', input, 'key-3');
      const again = await world.service.place('user-1', input, 'key-3');
      expect(again).toEqual({ order: first.order, created: false });
      expect(world.outbox).toHaveLength(1);
    });
  });
});
