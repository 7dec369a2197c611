import { TestRedis } from './test-redis';

describe(TestRedis.name, () => {
  describe('connect', () => {
    it('gives each connection its own key prefix', async () => {
      const [a, b] = await Promise.all([
        TestRedis.connect({ label: 'same' }),
        TestRedis.connect({ label: 'same' }),
      ]);
      try {
        expect(a.prefix).toMatch(/^test:same:[0-9a-f]{12}:$/);
        expect(a.prefix).not.toBe(b.prefix);
        await a.redis.set('greeting', 'from a');
        await expect(b.redis.get('greeting')).resolves.toBeNull();
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('says which Redis it could not reach', async () => {
      await expect(TestRedis.connect({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(
        /^tests need Redis at redis:\/\/127\.0\.0\.1:1: /,
      );
    });
  });

  describe('cleanup', () => {
    it('deletes exactly the keys under its own prefix', async () => {
      const mine = await TestRedis.connect({ label: 'mine' });
      const theirs = await TestRedis.connect({ label: 'theirs' });
      try {
        await mine.redis.set('a', '1');
        await mine.redis.hset('order:1', { status: 'pending' });
        await theirs.redis.set('a', '1');
        await expect(mine.keys()).resolves.toEqual(['a', 'order:1']);

        await mine.cleanup();

        await expect(mine.keys()).resolves.toEqual([]);
        await expect(theirs.redis.get('a')).resolves.toBe('1');
      } finally {
        await Promise.all([mine.close(), theirs.close()]);
      }
    });

    it('deletes more keys than one SCAN batch holds', async () => {
      const redis = await TestRedis.connect({ label: 'many' });
      try {
        const pipeline = redis.redis.pipeline();
        for (let i = 0; i < 1_200; i++) pipeline.set(`k:${i}`, i);
        await pipeline.exec();
        await redis.cleanup();
        await expect(redis.keys()).resolves.toEqual([]);
      } finally {
        await redis.close();
      }
    });
  });
});
