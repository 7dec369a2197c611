import { DomainError } from '@junction/platform';
import { FixedClock, mockOf, SequentialIds } from '@junction/platform/testing';
import { OrdersConfig } from '../config';
import { CheckoutCompensation } from './checkout-compensation';
import { CheckoutService } from './checkout.service';
import { type PlaceOrder } from './order';
import { InMemoryOrderStore } from './order-store.fixture';
import {
  type ChargeOutcome,
  type CheckoutEvents,
  type OrderStatusFeed,
  type PaymentGateway,
  type RequestFingerprint,
  type ReservationOutcome,
  type StockReserver,
} from './ports';

function placeOrder(overrides: Partial<PlaceOrder> = {}): PlaceOrder {
  return {
    lines: [{ sku: 'JNC-MUG', quantity: 2 }],
    paymentMethod: 'pm_card_ok',
    mode: 'blocking',
    ...overrides,
  };
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
 * CheckoutService over an in-memory order store and automocked peers. The store keeps orders in
 * a map and records every transition and outbox entry, so tests read the order's fate from it;
 * the peers record what they were asked to do (charges, releases, refunds).
 */
function checkout(peers: PeerBehaviour = {}) {
  const clock = new FixedClock();
  const ids = new SequentialIds('order');
  const store = new InMemoryOrderStore(clock);
  const charges: { orderId: string; amountCents: number }[] = [];
  const released: string[] = [];
  const refunded: string[] = [];
  let kicks = 0;

  const inventory = mockOf<StockReserver>();
  const deadlines: (Date | undefined)[] = [];
  inventory.reserve.mockImplementation((_orderId, _lines, deadline) => {
    deadlines.push(deadline);
    return peers.reserve ? peers.reserve() : Promise.resolve({ reserved: true, totalCents: 3700 });
  });
  inventory.release.mockImplementation((orderId, deadline) => {
    deadlines.push(deadline);
    if (peers.compensationFails) return peerUnavailable('inventory');
    released.push(orderId);
    return Promise.resolve();
  });

  const payment = mockOf<PaymentGateway>();
  payment.charge.mockImplementation((orderId, _userId, amountCents, _method, deadline) => {
    deadlines.push(deadline);
    charges.push({ orderId, amountCents });
    return peers.charge ? peers.charge() : Promise.resolve({ captured: true });
  });
  payment.refund.mockImplementation((orderId, deadline) => {
    deadlines.push(deadline);
    if (peers.compensationFails) return peerUnavailable('payment');
    refunded.push(orderId);
    return Promise.resolve();
  });

  const events = mockOf<CheckoutEvents>();
  events.orderPlaced.mockImplementation((order) => `order.placed of ${order.id}`);
  events.flush.mockImplementation(() => {
    kicks += 1;
  });
  const statuses = mockOf<OrderStatusFeed>();
  statuses.watch.mockImplementation(() => () => undefined);
  const fingerprint = mockOf<RequestFingerprint>();
  fingerprint.of.mockImplementation((request) => JSON.stringify(request));

  const config = new OrdersConfig(OrdersConfig.env.parse({}));
  const compensation = new CheckoutCompensation(inventory, payment);
  const service = new CheckoutService(
    store,
    inventory,
    payment,
    events,
    statuses,
    fingerprint,
    compensation,
    clock,
    config,
  );
  return {
    service,
    /** Places an order as the controller does: under a new id, for `userId`. */
    place: (userId: string, request: PlaceOrder, idempotencyKey?: string) =>
      service.place({ orderId: ids.newId(), userId, request, idempotencyKey }),
    clock,
    statuses,
    /** What the sweeper does to an abandoned checkout, once its undo went through. */
    interrupt: (orderId: string) => store.transition(orderId, 'rejected', 'interrupted'),
    orders: store.orders,
    transitions: store.transitions,
    outbox: store.outbox,
    charges,
    released,
    refunded,
    kicks: () => kicks,
    /** The deadline each call to a peer was given, in call order. */
    deadlines: () => deadlines,
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
      const { order, created } = await world.place('user-1', placeOrder());
      expect(created).toBe(true);
      expect(order).toMatchObject({ status: 'confirmed', reason: '', totalCents: 3700 });
      expect(order.history.map((change) => change.status)).toEqual(['pending', 'confirmed']);
      expect(world.charges).toEqual([{ orderId: order.id, amountCents: 3700 }]);
    });

    it('gives Reserve and Charge the end of one budget, and the release after a decline its own', async () => {
      const world = checkout({
        charge: () => Promise.resolve({ captured: false, reason: 'card_declined' }),
      });
      await world.place('user-1', placeOrder());
      // FixedClock: 2026-01-01T00:00:00Z, plus CHECKOUT_BUDGET_MS (5 s by default) for the
      // checkout, plus COMPENSATION_BUDGET_MS (1 s by default) for the undo.
      const deadline = new Date('2026-01-01T00:00:05.000Z');
      const undo = new Date('2026-01-01T00:00:01.000Z');
      expect(world.deadlines()).toEqual([deadline, deadline, undo]);
    });

    it("undoes a charge that ran out of the checkout's budget within a budget of its own", async () => {
      const world = checkout({
        charge: () => {
          world.clock.advance(5_000); // the Charge took the whole checkout budget
          return peerUnavailable('payment');
        },
      });
      await failure(world.place('user-1', placeOrder()));
      const [reserve, charge, ...undo] = world.deadlines();
      expect(reserve).toEqual(new Date('2026-01-01T00:00:05.000Z'));
      expect(charge).toEqual(reserve);
      // Release and Refund get a second from the moment of the undo, not a spent budget.
      const own = new Date('2026-01-01T00:00:06.000Z');
      expect(undo).toEqual([own, own]);
      const [order] = [...world.orders.values()];
      expect(world.released).toEqual([order!.id]);
      expect(world.refunded).toEqual([order!.id]);
    });

    it('rejects the order with the reason of a rejected reservation, charging nothing', async () => {
      const world = checkout({
        reserve: () => Promise.resolve({ reserved: false, reason: 'out_of_stock' }),
      });
      const { order } = await world.place('user-1', placeOrder());
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
      const { order } = await world.place(
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
      const error = await failure(world.place('user-1', placeOrder()));

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
      const error = await failure(world.place('user-1', placeOrder()));
      expect(error.code).toBe('unavailable');
      expect(world.transitions.map((t) => t.reason)).toEqual(['inventory_unavailable']);
      expect(world.charges).toEqual([]);
    });

    it('leaves the order in flight for the sweeper when the compensation itself fails', async () => {
      const world = checkout({
        charge: () => peerUnavailable('payment'),
        compensationFails: true,
      });
      const error = await failure(world.place('user-1', placeOrder()));
      expect(error.code).toBe('unavailable');
      // Rejecting now would hide stock that may still be reserved; the sweeper undoes it later.
      expect([...world.orders.values()].map((o) => o.status)).toEqual(['pending']);
      expect(world.transitions).toEqual([]);
    });

    it('rejects the order with payment_failed and releases its stock when payment refuses a voided order', async () => {
      // Payment refuses the Charge of an order it was asked to refund before (a swept checkout).
      const refused = new DomainError(
        'failed_precondition',
        'order o-1 was voided before it was charged',
      );
      const world = checkout({ charge: () => Promise.reject(refused) });
      await expect(world.place('user-1', placeOrder())).rejects.toBe(refused);
      const [order] = [...world.orders.values()];
      expect(world.transitions).toEqual([
        { orderId: order!.id, status: 'rejected', reason: 'payment_failed' },
      ]);
      expect(world.released).toEqual([order!.id]);
    });

    it('passes a peer error other than unavailable through unchanged', async () => {
      const invalid = new DomainError('invalid_argument', 'lines.0.sku: must be a SKU');
      const world = checkout({ reserve: () => Promise.reject(invalid) });
      await expect(world.place('user-1', placeOrder())).rejects.toBe(invalid);
      expect(world.transitions.map((t) => t.reason)).toEqual(['inventory_failed']);
    });
  });

  describe('place (queued)', () => {
    it('stores a pending order with its order.placed event in the outbox and wakes the relay', async () => {
      const world = checkout();
      const userId = 'user-7';
      const input = placeOrder({ mode: 'queued' });
      const { order, created } = await world.place(userId, input);

      expect(created).toBe(true);
      expect(order).toMatchObject({ status: 'pending', mode: 'queued', userId });
      // What the event holds is CheckoutEventsPublisher's (its spec); stored with the order.
      expect(world.outbox).toEqual([`order.placed of ${order.id}`]);
      expect(world.kicks()).toBe(1);
      expect(world.charges).toEqual([]);
    });
  });

  describe('place (Idempotency-Key)', () => {
    it('answers a repeated request with the same order, charging once', async () => {
      const world = checkout();
      const first = await world.place('user-1', placeOrder(), 'key-1');
      const again = await world.place('user-1', placeOrder(), 'key-1');
      expect(again).toEqual({ order: first.order, created: false });
      expect(world.orders.size).toBe(1);
      expect(world.charges).toHaveLength(1);
    });

    it('refuses the key with another body as a conflict, placing nothing', async () => {
      const world = checkout();
      await world.place('user-1', placeOrder(), 'key-2');
      const error = await failure(
        world.place('user-1', placeOrder({ lines: [{ sku: 'JNC-CAP', quantity: 1 }] }), 'key-2'),
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
      const alice = await world.place('alice', placeOrder(), 'same-key');
      const bob = await world.place('bob', placeOrder(), 'same-key');
      expect(bob.created).toBe(true);
      expect(bob.order.id).not.toBe(alice.order.id);
    });

    it('starts afresh on a retry after a transient rejection, instead of replaying it', async () => {
      let paymentDown = true;
      const world = checkout({
        charge: () =>
          paymentDown ? peerUnavailable('payment') : Promise.resolve({ captured: true }),
      });
      const error = await failure(world.place('user-1', placeOrder(), 'key-4'));
      expect(error.code).toBe('unavailable');
      paymentDown = false;
      const retry = await world.place('user-1', placeOrder(), 'key-4');
      expect(retry.created).toBe(true);
      expect(retry.order).toMatchObject({ status: 'confirmed' });
      const again = await world.place('user-1', placeOrder(), 'key-4');
      expect(again).toEqual({ order: retry.order, created: false });
    });

    it('answers 503 to a retry while the earlier attempt is still in flight, not its pending order', async () => {
      let paymentDown = true;
      const world = checkout({
        charge: () =>
          paymentDown ? peerUnavailable('payment') : Promise.resolve({ captured: true }),
        compensationFails: true,
      });
      await failure(world.place('user-1', placeOrder(), 'key-6'));
      const [stranded] = [...world.orders.values()];
      expect(stranded).toMatchObject({ status: 'pending' });
      world.statuses.watch.mockImplementation(() => {
        world.clock.advance(5_000);
        return () => undefined;
      });
      const waiting = await failure(world.place('user-1', placeOrder(), 'key-6'));
      expect(waiting).toMatchObject({ code: 'unavailable', retryAfterSeconds: 2 });

      // The sweeper undoes it and rejects it as interrupted: the next retry starts afresh.
      paymentDown = false;
      expect(world.orders.size).toBe(1);
      await world.interrupt(stranded!.id);
      const retry = await world.place('user-1', placeOrder(), 'key-6');
      expect(retry).toMatchObject({ created: true, order: { status: 'confirmed' } });
    });

    it('replays a rejection about the request itself, such as a declined card', async () => {
      const world = checkout({
        charge: () => Promise.resolve({ captured: false, reason: 'card_declined' }),
      });
      const first = await world.place('user-1', placeOrder(), 'key-5');
      const again = await world.place('user-1', placeOrder(), 'key-5');
      expect(first.order).toMatchObject({ status: 'rejected', reason: 'payment_declined' });
      expect(again).toEqual({ order: first.order, created: false });
      expect(world.charges).toHaveLength(1);
    });

    it('answers a repeated queued request with the pending order at once', async () => {
      const world = checkout();
      const input = placeOrder({ mode: 'queued' });
      const first = await world.place('user-1', input, 'key-3');
      const again = await world.place('user-1', input, 'key-3');
      expect(again).toEqual({ order: first.order, created: false });
      expect(world.outbox).toHaveLength(1);
    });
  });
});
