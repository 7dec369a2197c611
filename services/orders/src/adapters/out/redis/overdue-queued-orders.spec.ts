import { randomUUID } from 'node:crypto';
import { type AppLogger } from '@junction/platform';
import { FixedClock, mockOf, TestRedis } from '@junction/platform/testing';
import { type Redis } from 'ioredis';
import { OrdersConfig } from '../../../config';
import { type CheckoutCompensation } from '../../../domain/checkout-compensation';
import { type Order } from '../../../domain/order';
import { pendingOrder } from '../../../domain/order.fixture';
import { OrderService } from '../../../domain/order.service';
import { OverdueQueuedOrders } from '../../../domain/overdue-queued-orders';
import { OrderRepository } from './order.repository';
import { Outbox } from './outbox';

const DEADLINE_MS = 60_000;
const config = new OrdersConfig(
  OrdersConfig.env.parse({ QUEUED_ORDER_DEADLINE_MS: String(DEADLINE_MS) }),
);

const logger = mockOf<AppLogger>();
const log = mockOf<ReturnType<AppLogger['child']>>();
log.warn.mockReturnValue(undefined);
log.debug.mockReturnValue(undefined);
logger.child.mockReturnValue(log);

function repositoryOn(redis: Redis): OrderRepository {
  return new OrderRepository(redis, new Outbox(redis, config), config);
}

/** What the compensation was asked to undo, and the order as it stood at that moment. */
interface Undo {
  readonly orderId: string;
  readonly seen: Order | undefined;
}

/**
 * One orders replica's sweeper on its own connection, over the real repository; its undo is
 * recorded (with the order as the store had it then) and reaches a peer only while `peersUp()`.
 * Its clock (for the consumers' side) reads `at`.
 */
function replicaOn(redis: Redis, undos: Undo[], peersUp: () => boolean = () => true, at?: Date) {
  const repository = repositoryOn(redis);
  const compensation = mockOf<CheckoutCompensation>();
  compensation.undo.mockImplementation(async (orderId) => {
    undos.push({ orderId, seen: await repository.find(orderId) });
    return peersUp();
  });
  const clock = new FixedClock(at);
  return {
    repository,
    sweeper: new OverdueQueuedOrders(repository, compensation, clock, config, logger),
    orders: new OrderService(repository, clock),
  };
}

describe('the deadline of queued orders (OverdueQueuedOrders over OrderRepository)', () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'orders-saga-deadline' });
  });

  afterAll(async () => {
    await store.close();
  });

  /** `count` queued orders placed at `at`, stored through `repository`. */
  async function placed(repository: OrderRepository, at: Date, count = 1): Promise<Order[]> {
    const orders = Array.from({ length: count }, () =>
      pendingOrder({ id: randomUUID(), userId: randomUUID(), mode: 'queued' }, at),
    );
    for (const order of orders) await repository.create(order);
    return orders;
  }

  const undosOf = (undos: Undo[], orderId: string) => undos.filter((u) => u.orderId === orderId);

  it('indexes a pending queued order by its creation time until it ends', async () => {
    const repository = repositoryOn(store.redis);
    const at = new Date('2031-01-01T00:00:00.000Z');
    const [order] = await placed(repository, at);
    const keyed = pendingOrder({ id: randomUUID(), userId: randomUUID(), mode: 'queued' }, at);
    await repository.createWithKey(keyed, {
      userId: keyed.userId,
      key: randomUUID(),
      fingerprint: 'fp',
    });

    await expect(repository.overdueQueued(at)).resolves.toEqual(
      expect.arrayContaining([order!.id, keyed.id]),
    );
    await expect(repository.overdueQueued(new Date(at.getTime() - 1))).resolves.not.toContain(
      order!.id,
    );
    await repository.transition(order!.id, 'confirmed', '', 1200);
    await repository.transition(keyed.id, 'rejected', 'out_of_stock');
    const left = await repository.overdueQueued(at);
    expect(left).not.toContain(order!.id);
    expect(left).not.toContain(keyed.id);
  });

  it('lets two sweepers racing claim each overdue order exactly once, and compensates it once, after the claim', async () => {
    const undos: Undo[] = [];
    const [a, b] = [store.anotherConnection(), store.anotherConnection()];
    const [one, two] = [replicaOn(a, undos), replicaOn(b, undos)];
    const at = new Date('2032-01-01T00:00:00.000Z');
    const stuck = await placed(one.repository, at, 30);
    const now = new Date(at.getTime() + DEADLINE_MS + 1);

    const outcomes = await Promise.all([
      one.sweeper.sweep(now),
      two.sweeper.sweep(now),
      one.sweeper.sweep(now),
      two.sweeper.sweep(now),
    ]);

    expect(outcomes.reduce((sum, o) => sum + o.timedOut, 0)).toBe(stuck.length);
    for (const order of stuck) {
      const found = await one.repository.find(order.id);
      expect(found).toMatchObject({ status: 'rejected', reason: 'timeout' });
      expect(found?.history.map((c) => c.status)).toEqual(['pending', 'rejected']);
      const undone = undosOf(undos, order.id);
      expect(undone).toHaveLength(1);
      expect(undone[0]?.seen).toMatchObject({ status: 'rejected', reason: 'timeout' });
    }
    await expect(one.repository.toCompensate(new Date(8.64e15))).resolves.toEqual(
      expect.not.arrayContaining(stuck.map((o) => o.id)),
    );
  });

  it('lets exactly one of the saga and two sweepers end each order, and refunds a capture that lost', async () => {
    const undos: Undo[] = [];
    const at = new Date('2033-01-01T00:00:00.000Z');
    const now = new Date(at.getTime() + DEADLINE_MS + 1);
    const [one, two] = [store.anotherConnection(), store.anotherConnection()].map((redis) =>
      replicaOn(redis, undos),
    );
    // The saga's consumer, whose captures come while (or after) the sweepers compensate.
    const saga = replicaOn(
      store.anotherConnection(),
      undos,
      () => true,
      new Date(now.getTime() + 1),
    );
    const orders = await placed(one!.repository, at, 20);

    // Half the captures race the sweepers; the other half come after them (late messages).
    const racing = orders.slice(0, 10).map((order) => saga.orders.paymentCaptured(order.id, 1200));
    await Promise.all([...racing, one!.sweeper.sweep(now), two!.sweeper.sweep(now)]);
    for (const order of orders.slice(10)) await saga.orders.paymentCaptured(order.id, 1200);

    const lost: string[] = [];
    for (const order of orders) {
      const found = await saga.repository.find(order.id);
      expect(found?.history).toHaveLength(2);
      if (found?.status === 'confirmed') {
        expect(undosOf(undos, order.id)).toHaveLength(0);
        continue;
      }
      expect(found).toMatchObject({ status: 'rejected', reason: 'timeout', totalCents: 0 });
      expect(undosOf(undos, order.id).length).toBeGreaterThanOrEqual(1);
      lost.push(order.id);
    }
    expect(lost).toEqual(expect.arrayContaining(orders.slice(10).map((o) => o.id)));
    // Each capture that lost is listed again, and a later sweep compensates (refunds) it.
    const everything = new Date(8.64e15);
    await expect(saga.repository.toCompensate(everything, 1_000)).resolves.toEqual(
      expect.arrayContaining(lost),
    );
    const counts = lost.map((orderId) => undosOf(undos, orderId).length);
    await one!.sweeper.sweep(new Date(now.getTime() + 60_000));
    lost.forEach((orderId, i) => {
      expect(undosOf(undos, orderId).length).toBe((counts[i] ?? 0) + 1);
    });
    await expect(saga.repository.toCompensate(everything, 1_000)).resolves.toEqual(
      expect.not.arrayContaining(lost),
    );
  });

  it('keeps a timed-out order listed while a peer is down, and compensates it on a later sweep', async () => {
    const undos: Undo[] = [];
    let up = false;
    const replica = replicaOn(store.anotherConnection(), undos, () => up);
    const at = new Date('2034-01-01T00:00:00.000Z');
    const [order] = await placed(replica.repository, at);
    const now = new Date(at.getTime() + DEADLINE_MS + 1);

    await replica.sweeper.sweep(now);
    await expect(replica.repository.find(order!.id)).resolves.toMatchObject({
      status: 'rejected',
      reason: 'timeout',
    });
    await expect(replica.repository.toCompensate(now)).resolves.toContain(order!.id);

    up = true;
    await replica.sweeper.sweep(new Date(now.getTime() + replica.sweeper.sweepEveryMs));
    await expect(replica.repository.toCompensate(new Date(8.64e15))).resolves.not.toContain(
      order!.id,
    );
    expect(undosOf(undos, order!.id)).toHaveLength(2);
  });

  it('keeps an order listed again after its compensation started, so a capture meanwhile is refunded', async () => {
    const repository = repositoryOn(store.redis);
    const at = new Date('2035-01-01T00:00:00.000Z');
    const [order] = await placed(repository, at);
    await repository.rejectToCompensate(order!.id, 'timeout', at);

    await repository.markToCompensate(order!.id, new Date(at.getTime() + 5_000));
    await repository.compensated(order!.id, new Date(at.getTime() + 1_000));
    await expect(repository.toCompensate(new Date(at.getTime() + 5_000))).resolves.toContain(
      order!.id,
    );

    await repository.compensated(order!.id, new Date(at.getTime() + 5_000));
    await expect(repository.toCompensate(new Date(8.64e15))).resolves.not.toContain(order!.id);
  });

  it('does not time out an order that the saga ended first, nor let its late outcome undo the timeout', async () => {
    const undos: Undo[] = [];
    const replica = replicaOn(store.anotherConnection(), undos);
    const at = new Date('2036-01-01T00:00:00.000Z');
    const [ended, stuck] = await placed(replica.repository, at, 2);
    await replica.orders.complete(ended!.id, 'rejected', 'out_of_stock');
    const now = new Date(at.getTime() + DEADLINE_MS + 1);

    await replica.sweeper.sweep(now);

    await expect(replica.repository.find(ended!.id)).resolves.toMatchObject({
      reason: 'out_of_stock',
    });
    expect(undosOf(undos, ended!.id)).toHaveLength(0);
    await expect(replica.orders.complete(stuck!.id, 'rejected', 'payment_declined')).resolves.toBe(
      false,
    );
    await expect(replica.orders.paymentCaptured(stuck!.id, 1200)).resolves.toBe(false);
    const found = await replica.repository.find(stuck!.id);
    expect(found).toMatchObject({ status: 'rejected', reason: 'timeout', totalCents: 0 });
    expect(found?.history).toHaveLength(2);
  });
});
