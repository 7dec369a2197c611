import { TestRedis } from '../testing';
import { DomainError } from '../errors/domain-error';
import { RateLimiter } from './rate-limiter';

describe(RateLimiter.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'rate-limiter' });
  });

  afterAll(async () => {
    await store.close();
  });

  describe('hit', () => {
    it('lets the limit through, then answers rate_limited with the seconds left in the window', async () => {
      const limiter = new RateLimiter(store.redis);
      const rule = { name: 'login-account', limit: 3, windowSeconds: 60 };
      for (let i = 0; i < 3; i++) await limiter.hit(rule, 'alice');

      const error = await limiter.hit(rule, 'alice').then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'rate_limited' });
      const retryAfter = (error as DomainError).retryAfterSeconds ?? 0;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it('counts each subject and each rule on its own', async () => {
      const limiter = new RateLimiter(store.redis);
      const rule = { name: 'register-ip', limit: 1, windowSeconds: 60 };
      await limiter.hit(rule, '10.0.0.1');
      await expect(limiter.hit(rule, '10.0.0.2')).resolves.toBeUndefined();
      await expect(limiter.hit({ ...rule, name: 'login-ip' }, '10.0.0.1')).resolves.toBeUndefined();
    });

    it('opens a new window once the old one expires', async () => {
      const limiter = new RateLimiter(store.redis);
      const rule = { name: 'short', limit: 1, windowSeconds: 1 };
      await limiter.hit(rule, 'bob');
      await expect(limiter.hit(rule, 'bob')).rejects.toMatchObject({ code: 'rate_limited' });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await expect(limiter.hit(rule, 'bob')).resolves.toBeUndefined();
    });
  });
});
