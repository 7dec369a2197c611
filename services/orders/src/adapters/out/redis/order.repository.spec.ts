import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { type Redis } from 'ioredis';
import { type Order } from '../../../domain/order';
import { pendingOrder } from '../../../domain/order.fixture';
import { OrdersConfig } from '../../../config';
import { OrderRepository, STATUS_CHANNEL } from './order.repository';
import { Outbox } from './outbox';

const config = new OrdersConfig(OrdersConfig.env.parse({}));

function repositoryOn(redis: Redis): OrderRepository {
  return new OrderRepository(redis, new Outbox(redis, config), config);
}

/** A pending order with ids no other test run uses (the status channel is not key-prefixed). */
function storedOrder(overrides: Partial<Order> = {}, at?: Date): Order {
  return pendingOrder({ id: randomUUID(), userId: randomUUID(), ...overrides }, at);
}

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

describe(OrderRepository.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'orders-repository' });
  });

  afterAll(async () => {
    await store.close();
  });

  async function created(order: Order = storedOrder()) {
    const repository = repositoryOn(store.redis);
    await repository.create(order);
    return { repository, order };
  }

  describe('create', () => {
    it('stores the order as it was given', async () => {
      const { repository, order } = await created();
      await expect(repository.find(order.id)).resolves.toEqual(order);
    });

    it('puts the event into the outbox in the same step', async () => {
      const order = storedOrder();
      const entry = JSON.stringify({
        routingKey: 'order.placed',
        messageId: `order.placed:${order.id}`,
      });
      const outbox = new Outbox(store.redis, config);
      await new OrderRepository(store.redis, outbox, config).create(order, entry);
      const partition = outbox.partitionOf(order.id);
      const stored = await outbox.read(partition, 100);
      expect(stored).toContainEqual({ id: expect.any(String) as string, key: order.id, entry });
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
          repositoryOn(connections[i % 3]!).transition(
            order.id,
            i % 2 === 0 ? 'confirmed' : 'rejected',
            i % 2 === 0 ? '' : 'payment_declined',
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const found = await repositoryOn(store.redis).find(order.id);
      expect(found?.history).toHaveLength(2);
    });

    it('does not bring an order into being', async () => {
      const repository = repositoryOn(store.redis);
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

  describe('retention', () => {
    const retention = config.orderRetentionSeconds;
    const ttlsOf = (id: string) =>
      Promise.all([store.redis.ttl(`order:${id}`), store.redis.ttl(`order:${id}:history`)]);

    it('keeps a pending order without expiry', async () => {
      const { order } = await created();
      await expect(ttlsOf(order.id)).resolves.toEqual([-1, -1]);
    });

    it.each(['confirmed', 'rejected'] as const)(
      'expires an order and its history the retention after it was %s',
      async (status) => {
        const { repository, order } = await created();
        await repository.transition(order.id, status, status === 'rejected' ? 'declined' : '');
        for (const ttl of await ttlsOf(order.id)) {
          expect(ttl).toBeGreaterThan(retention - 60);
          expect(ttl).toBeLessThanOrEqual(retention);
        }
      },
    );

    it('starts the retention of an order rejected to compensate in the same step', async () => {
      const { repository, order } = await created();
      await repository.rejectToCompensate(order.id, 'timeout', new Date());
      const [ttl] = await ttlsOf(order.id);
      expect(ttl).toBeGreaterThan(retention - 60);
    });

    it("keeps a user's list a day longer than the retention, from their latest order", async () => {
      const { order } = await created();
      const ttl = await store.redis.ttl(`user:${order.userId}:orders`);
      expect(ttl).toBeGreaterThan(retention + 86_400 - 60);
      expect(ttl).toBeLessThanOrEqual(retention + 86_400);
    });

    it("drops the ids of orders placed before that from the user's list", async () => {
      const userId = randomUUID();
      const latest = new Date('2030-06-01T00:00:00.000Z');
      const keptSince = latest.getTime() - (retention + 86_400) * 1000;
      const gone = storedOrder({ userId }, new Date(keptSince - 1));
      const kept = storedOrder({ userId }, new Date(keptSince + 1));
      const newest = storedOrder({ userId }, latest);
      const repository = repositoryOn(store.redis);
      await repository.create(gone);
      await repository.create(kept);
      await repository.createWithKey(newest, {
        userId,
        key: randomUUID(),
        fingerprint: 'fp',
      });
      await expect(repository.listIdsForUser(userId, 10)).resolves.toEqual([newest.id, kept.id]);
    });
  });

  describe('abandonedBlocking', () => {
    it('lists a blocking checkout started before the cutoff until it finishes', async () => {
      const startedAt = new Date('2030-01-01T00:00:00.000Z');
      const { repository, order } = await created(storedOrder({ mode: 'blocking' }, startedAt));
      const cutoff = new Date(startedAt.getTime() + 1_000);
      await expect(repository.abandonedBlocking(cutoff)).resolves.toContain(order.id);
      await expect(
        repository.abandonedBlocking(new Date(startedAt.getTime() - 1)),
      ).resolves.not.toContain(order.id);

      await repository.transition(order.id, 'rejected', 'interrupted');
      await expect(repository.abandonedBlocking(cutoff)).resolves.not.toContain(order.id);
    });

    it('never lists a queued order (the saga finishes it)', async () => {
      const startedAt = new Date('2030-01-01T00:00:00.000Z');
      const { repository, order } = await created(storedOrder({ mode: 'queued' }, startedAt));
      await expect(
        repository.abandonedBlocking(new Date('2031-01-01T00:00:00.000Z')),
      ).resolves.not.toContain(order.id);
    });
  });

  describe('listIdsForUser', () => {
    it("lists the user's orders newest first", async () => {
      const userId = randomUUID();
      const older = storedOrder({ userId, createdAt: '2030-01-01T00:00:00.000Z' });
      const newer = storedOrder({ userId, createdAt: '2030-01-02T00:00:00.000Z' });
      const repository = repositoryOn(store.redis);
      await repository.create(older);
      await repository.create(newer);
      await repository.create(storedOrder());
      await expect(repository.listIdsForUser(userId, 10)).resolves.toEqual([newer.id, older.id]);
    });
  });

  describe('createWithKey', () => {
    const bindingOf = (userId: string, key: string, fingerprint: string) => ({
      userId,
      key,
      fingerprint,
    });

    it('binds the key to the first order and writes it; later calls get that binding back', async () => {
      const repository = repositoryOn(store.redis);
      const key = randomUUID();
      const [first, second] = [storedOrder(), storedOrder()];
      const claim1 = await repository.createWithKey(first, bindingOf('alice', key, 'fp-1'));
      const claim2 = await repository.createWithKey(second, bindingOf('alice', key, 'fp-2'));
      expect(claim1).toEqual({ orderId: first.id, fingerprint: 'fp-1', claimed: true });
      expect(claim2).toEqual({ orderId: first.id, fingerprint: 'fp-1', claimed: false });
      await expect(repository.find(first.id)).resolves.toEqual(first);
      await expect(repository.find(second.id)).resolves.toBeUndefined();
    });

    it('lets one of several concurrent calls win and write its order', async () => {
      const key = randomUUID();
      const connections = Array.from({ length: 3 }, () => store.anotherConnection());
      const orders = Array.from({ length: 6 }, () => storedOrder());
      const claims = await Promise.all(
        orders.map((order, i) =>
          repositoryOn(connections[i % 3]!).createWithKey(
            order,
            bindingOf('alice', key, `fp-${i}`),
          ),
        ),
      );
      const winners = claims.filter((claim) => claim.claimed);
      expect(winners).toHaveLength(1);
      expect(claims.every((claim) => claim.orderId === winners[0]!.orderId)).toBe(true);
      const written = await Promise.all(
        orders.map((order) => repositoryOn(store.redis).find(order.id)),
      );
      expect(written.filter(Boolean)).toHaveLength(1);
    });

    it('takes over only the exact stale binding it is given', async () => {
      const repository = repositoryOn(store.redis);
      const key = randomUUID();
      const [first, second, third] = [storedOrder(), storedOrder(), storedOrder()];
      const stale = await repository.createWithKey(first, bindingOf('alice', key, 'fp'));
      const takeover = await repository.createWithKey(second, {
        ...bindingOf('alice', key, 'fp'),
        replacing: stale,
      });
      expect(takeover).toEqual({ orderId: second.id, fingerprint: 'fp', claimed: true });
      const late = await repository.createWithKey(third, {
        ...bindingOf('alice', key, 'fp'),
        replacing: stale,
      });
      expect(late).toEqual({ orderId: second.id, fingerprint: 'fp', claimed: false });
    });

    it('puts the event into the outbox and a blocking order in flight in the same step', async () => {
      const outbox = new Outbox(store.redis, config);
      const repository = new OrderRepository(store.redis, outbox, config);
      const queued = storedOrder({ mode: 'queued' });
      const entry = JSON.stringify({ routingKey: 'order.placed', messageId: queued.id });
      await repository.createWithKey(queued, bindingOf('alice', randomUUID(), 'fp'), entry);
      const stored = await outbox.read(outbox.partitionOf(queued.id), 100);
      expect(stored).toContainEqual({ id: expect.any(String) as string, key: queued.id, entry });
      const blocking = storedOrder({ mode: 'blocking' }, new Date(0));
      await repository.createWithKey(blocking, bindingOf('alice', randomUUID(), 'fp'));
      await expect(repository.abandonedBlocking(new Date(1))).resolves.toContain(blocking.id);
      await repository.transition(blocking.id, 'rejected', 'interrupted');
    });

    it("keeps one user's key apart from another's", async () => {
      const repository = repositoryOn(store.redis);
      const key = randomUUID();
      await repository.createWithKey(storedOrder(), bindingOf('alice', key, 'fp-a'));
      const bobs = storedOrder();
      await expect(repository.createWithKey(bobs, bindingOf('bob', key, 'fp-b'))).resolves.toEqual({
        orderId: bobs.id,
        fingerprint: 'fp-b',
        claimed: true,
      });
    });

    it('keeps the binding for a day', async () => {
      const repository = repositoryOn(store.redis);
      const key = randomUUID();
      await repository.createWithKey(storedOrder(), bindingOf('alice', key, 'fp'));
      const ttl = await store.redis.ttl(`idempotency:alice:${key}`);
      expect(ttl).toBeGreaterThan(24 * 3600 - 60);
      expect(ttl).toBeLessThanOrEqual(24 * 3600);
    });
  });
});
