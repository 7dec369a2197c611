import { TestRedis } from '@junction/platform/testing';
import { OrdersConfig } from '../../../config';
import { Outbox } from './outbox';

const config = new OrdersConfig(OrdersConfig.env.parse({ OUTBOX_PARTITIONS: '8' }));

describe(Outbox.name, () => {
  let store: TestRedis;
  let outbox: Outbox;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'outbox' });
    outbox = new Outbox(store.redis, config);
  });

  afterAll(async () => {
    outbox.onApplicationShutdown();
    await store.close();
  });

  afterEach(async () => {
    await store.cleanup();
  });

  async function write(key: string, entry: string): Promise<void> {
    const transaction = store.redis.multi();
    outbox.append(transaction, key, entry);
    await transaction.exec();
  }

  describe('partitionOf', () => {
    it('gives a key the same partition every time, and spreads keys over all of them', () => {
      const keys = Array.from({ length: 800 }, (_, i) => `order-${String(i)}`);
      const partitions = keys.map((key) => outbox.partitionOf(key));
      expect(keys.map((key) => outbox.partitionOf(key))).toEqual(partitions);
      const counts = Array.from({ length: 8 }, (_, p) => partitions.filter((x) => x === p).length);
      for (const count of counts) expect(count).toBeGreaterThan(60);
    });
  });

  describe('read', () => {
    it('shows nothing when a partition is empty', async () => {
      await expect(outbox.read(0, 10)).resolves.toEqual([]);
    });

    it('reads a partition oldest first, with each entry’s key', async () => {
      const key = 'order-1';
      await write(key, 'first');
      await write(key, 'second');
      const entries = await outbox.read(outbox.partitionOf(key), 10);
      expect(entries.map((e) => [e.key, e.entry])).toEqual([
        [key, 'first'],
        [key, 'second'],
      ]);
      await expect(outbox.size()).resolves.toBe(2);
    });
  });

  describe('leases', () => {
    it('lets one relay hold a partition at a time, and renew only its own', async () => {
      await expect(outbox.acquire(3, 'a', 5_000)).resolves.toBe(true);
      await expect(outbox.acquire(3, 'b', 5_000)).resolves.toBe(false);
      await expect(outbox.renew(3, 'b', 5_000)).resolves.toBe(false);
      await expect(outbox.renew(3, 'a', 5_000)).resolves.toBe(true);
      await outbox.release(3, 'b');
      await expect(outbox.acquire(3, 'b', 5_000)).resolves.toBe(false);
      await outbox.release(3, 'a');
      await expect(outbox.acquire(3, 'b', 5_000)).resolves.toBe(true);
    });

    it('frees a lease that is not renewed once its time is up', async () => {
      await outbox.acquire(2, 'a', 100);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(outbox.acquire(2, 'b', 5_000)).resolves.toBe(true);
      await expect(outbox.renew(2, 'a', 5_000)).resolves.toBe(false);
    });
  });

  describe('remove', () => {
    it('deletes the published entries for the lease holder only', async () => {
      await write('order-2', 'x');
      await write('order-2', 'y');
      const p = outbox.partitionOf('order-2');
      const [x] = await outbox.read(p, 1);
      await outbox.acquire(p, 'a', 5_000);
      await expect(outbox.remove(p, 'b', [x!.id])).resolves.toBe(false);
      await expect(outbox.read(p, 10)).resolves.toHaveLength(2);
      await expect(outbox.remove(p, 'a', [x!.id])).resolves.toBe(true);
      await expect(outbox.read(p, 10)).resolves.toEqual([expect.objectContaining({ entry: 'y' })]);
    });
  });

  describe('park', () => {
    it('moves an entry out of its partition with the reason', async () => {
      await write('order-3', 'not json');
      await write('order-3', '{}');
      const p = outbox.partitionOf('order-3');
      const [bad] = await outbox.read(p, 1);
      await outbox.acquire(p, 'a', 5_000);
      await expect(outbox.park(p, 'b', bad!, 'nope')).resolves.toBe(false);
      await expect(outbox.park(p, 'a', bad!, 'malformed')).resolves.toBe(true);
      await expect(outbox.read(p, 10)).resolves.toEqual([expect.objectContaining({ entry: '{}' })]);
      await expect(outbox.parked()).resolves.toEqual([
        { id: bad!.id, entry: 'not json', reason: 'malformed' },
      ]);
      await expect(outbox.size()).resolves.toBe(1);
    });
  });

  describe('heartbeat', () => {
    it('counts the relays whose heartbeat has not run out', async () => {
      await expect(outbox.heartbeat('a', 5_000)).resolves.toBe(1);
      await expect(outbox.heartbeat('b', 100)).resolves.toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(outbox.heartbeat('a', 5_000)).resolves.toBe(1);
      await outbox.leave('a');
      await expect(outbox.heartbeat('c', 5_000)).resolves.toBe(1);
    });
  });

  describe('migrateLegacy', () => {
    it('moves the old list into the partitions in order, each to its order’s partition', async () => {
      const event = (orderId: string, n: number) =>
        JSON.stringify({
          routingKey: 'order.placed',
          messageId: `${orderId}:${String(n)}`,
          body: { orderId },
        });
      const old = ['o-1', 'o-2', 'o-1', 'o-3'].map((id, n) => event(id, n));
      await store.redis.rpush('outbox', ...old, 'not json');
      await expect(outbox.migrateLegacy()).resolves.toBe(5);
      await expect(store.redis.exists('outbox')).resolves.toBe(0);
      const o1 = await outbox.read(outbox.partitionOf('o-1'), 100);
      expect(o1.filter((e) => e.key === 'o-1').map((e) => e.entry)).toEqual([old[0], old[2]]);
      for (const id of ['o-2', 'o-3']) {
        const entries = await outbox.read(outbox.partitionOf(id), 100);
        expect(entries.some((e) => e.key === id)).toBe(true);
      }
      const malformed = await outbox.read(outbox.partitionOf('not json'), 100);
      expect(malformed.some((e) => e.entry === 'not json')).toBe(true);
      await expect(outbox.size()).resolves.toBe(5);
    });
  });
});
