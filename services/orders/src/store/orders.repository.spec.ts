import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { type Redis } from 'ioredis';
import { type Order } from '../domain/order';
import { pendingOrder } from '../domain/order.fixture';
import { OrdersRepository, STATUS_CHANNEL } from './orders.repository';

/** Resolves with the first status message for `orderId` on the status channel. */
async function nextStatusMessage(
  subscriber: Redis,
  orderId: string,
): Promise<() => Promise<unknown>> {
  await subscriber.subscribe(STATUS_CHANNEL);
  const message = new Promise<unknown>((resolve) => {
    subscriber.on('message', (_channel: string, raw: string) => {
      const parsed = JSON.parse(raw) as { orderId: string };
      if (parsed.orderId === orderId) resolve(parsed);
    });
  });
  return () => message;
}

describe(OrdersRepository.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'orders-repository' });
  });

  afterAll(async () => {
    await store.close();
  });

  async function created(order: Order = pendingOrder()) {
    const repository = new OrdersRepository(store.redis);
    await repository.create(order);
    return { repository, order };
  }

  describe('create', () => {
    it('stores the order as it was given', async () => {
      const { repository, order } = await created();
      await expect(repository.find(order.id)).resolves.toEqual(order);
    });

    it('puts the event into the outbox in the same step', async () => {
      const order = pendingOrder();
      const entry = JSON.stringify({
        routingKey: 'order.placed',
        messageId: `order.placed:${order.id}`,
      });
      const repository = new OrdersRepository(store.redis);
      await repository.create(order, entry);
      const outbox = await store.redis.lrange('outbox', 0, -1);
      expect(outbox).toContain(entry);
    });
  });

  describe('transition', () => {
    it('moves a pending order to its outcome and records the change', async () => {
      const { repository, order } = await created();
      await expect(repository.transition(order.id, 'confirmed', '', 3700)).resolves.toBe(true);
      const found = await repository.find(order.id);
      expect(found).toMatchObject({ status: 'confirmed', reason: '', totalCents: 3700 });
      expect(found?.history.map((c) => c.status)).toEqual(['pending', 'confirmed']);
    });

    it('changes an order only once: a late or duplicate outcome is a no-op', async () => {
      const { repository, order } = await created();
      await repository.transition(order.id, 'rejected', 'out_of_stock');
      await expect(repository.transition(order.id, 'confirmed', '', 100)).resolves.toBe(false);
      await expect(repository.transition(order.id, 'rejected', 'out_of_stock')).resolves.toBe(
        false,
      );
      const found = await repository.find(order.id);
      expect(found).toMatchObject({ status: 'rejected', reason: 'out_of_stock', totalCents: 0 });
      expect(found?.history).toHaveLength(2);
    });

    it('lets exactly one of several concurrent outcomes through', async () => {
      const { order } = await created();
      const connections = Array.from({ length: 3 }, () => store.anotherConnection());
      const results = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          new OrdersRepository(connections[i % 3]!).transition(
            order.id,
            i % 2 === 0 ? 'confirmed' : 'rejected',
            i % 2 === 0 ? '' : 'payment_declined',
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const found = await new OrdersRepository(store.redis).find(order.id);
      expect(found?.history).toHaveLength(2);
    });

    it('does not bring an order into being', async () => {
      const repository = new OrdersRepository(store.redis);
      const id = randomUUID();
      await expect(repository.transition(id, 'confirmed', '')).resolves.toBe(false);
      await expect(repository.find(id)).resolves.toBeUndefined();
    });

    it('announces the change on the status channel', async () => {
      const { repository, order } = await created();
      const subscriber = store.anotherConnection();
      const received = await nextStatusMessage(subscriber, order.id);
      await repository.transition(order.id, 'confirmed', '');
      await expect(received()).resolves.toEqual({ orderId: order.id, status: 'confirmed' });
    });
  });

  describe('listIdsForUser', () => {
    it("lists the user's orders newest first", async () => {
      const userId = randomUUID();
      const older = pendingOrder({ userId, createdAt: '2030-01-01T00:00:00.000Z' });
      const newer = pendingOrder({ userId, createdAt: '2030-01-02T00:00:00.000Z' });
      const repository = new OrdersRepository(store.redis);
      await repository.create(older);
      await repository.create(newer);
      await repository.create(pendingOrder());
      await expect(repository.listIdsForUser(userId, 10)).resolves.toEqual([newer.id, older.id]);
    });
  });

  describe('claimIdempotencyKey', () => {
    it('binds the key to the first order; later claims get that binding back', async () => {
      const repository = new OrdersRepository(store.redis);
      const key = randomUUID();
      const first = await repository.claimIdempotencyKey('alice', key, 'fp-1', 'order-1');
      const second = await repository.claimIdempotencyKey('alice', key, 'fp-2', 'order-2');
      expect(first).toEqual({ orderId: 'order-1', fingerprint: 'fp-1', claimed: true });
      expect(second).toEqual({ orderId: 'order-1', fingerprint: 'fp-1', claimed: false });
    });

    it('lets one of several concurrent claims win', async () => {
      const key = randomUUID();
      const connections = Array.from({ length: 3 }, () => store.anotherConnection());
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          new OrdersRepository(connections[i % 3]!).claimIdempotencyKey(
            'alice',
            key,
            `fp-${i}`,
            `order-${i}`,
          ),
        ),
      );
      const winners = claims.filter((claim) => claim.claimed);
      expect(winners).toHaveLength(1);
      expect(claims.every((claim) => claim.orderId === winners[0]!.orderId)).toBe(true);
    });

    it("keeps one user's key apart from another's", async () => {
      const repository = new OrdersRepository(store.redis);
      const key = randomUUID();
      await repository.claimIdempotencyKey('alice', key, 'fp-a', 'order-a');
      await expect(repository.claimIdempotencyKey('bob', key, 'fp-b', 'order-b')).resolves.toEqual({
        orderId: 'order-b',
        fingerprint: 'fp-b',
        claimed: true,
      });
    });

    it('keeps the binding for a day', async () => {
      const repository = new OrdersRepository(store.redis);
      const key = randomUUID();
      await repository.claimIdempotencyKey('alice', key, 'fp', 'order');
      const ttl = await store.redis.ttl(`idempotency:alice:${key}`);
      expect(ttl).toBeGreaterThan(24 * 3600 - 60);
      expect(ttl).toBeLessThanOrEqual(24 * 3600);
    });
  });
});
