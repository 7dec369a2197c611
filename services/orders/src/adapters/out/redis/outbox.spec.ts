import { TestRedis } from '@junction/platform/testing';
import { Outbox } from './outbox';

describe(Outbox.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'outbox' });
  });

  afterAll(async () => {
    await store.close();
  });

  afterEach(async () => {
    await store.cleanup();
  });

  describe('peek', () => {
    it('shows nothing when the outbox is empty', async () => {
      await expect(new Outbox(store.redis).peek()).resolves.toBeUndefined();
    });
  });

  describe('remove', () => {
    it('removes the published head and keeps the rest in order', async () => {
      const outbox = new Outbox(store.redis);
      await store.redis.rpush('outbox', 'a', 'b', 'c');
      await outbox.remove('a');
      await expect(store.redis.lrange('outbox', 0, -1)).resolves.toEqual(['b', 'c']);
      await expect(outbox.peek()).resolves.toBe('b');
    });

    it('removes an entry that is no longer at the head without touching the others', async () => {
      const outbox = new Outbox(store.redis);
      await store.redis.rpush('outbox', 'x', 'y', 'z');
      await outbox.remove('y');
      await expect(store.redis.lrange('outbox', 0, -1)).resolves.toEqual(['x', 'z']);
      await expect(outbox.size()).resolves.toBe(2);
    });
  });
});
