import { randomUUID } from 'node:crypto';
import { DomainError, RateLimiter } from '@junction/platform';
import { mockOf, TestRedis } from '@junction/platform/testing';
import { type AuthConfig } from '../../../config';
import { AttemptThrottle } from '../../../domain/attempt-throttle';
import { NodeCryptoSecrets } from '../crypto/node-crypto-secrets';
import { LoginFailureCounter } from './login-failure-counter';

const PER_CLIENT = 3;
const CEILING = 6;

/** The login throttle over the real counters in Redis; `verify` stands in for the password check. */
function throttleOn(store: TestRedis): AttemptThrottle {
  const config = mockOf<AuthConfig>({
    limits: {
      loginPerAccount: PER_CLIENT,
      loginFailureCeilingPerAccount: CEILING,
      loginPerIp: 1000,
      registerPerIp: 1000,
    },
  });
  return new AttemptThrottle(
    new RateLimiter(store.redis),
    new LoginFailureCounter(store.redis),
    config,
    new NodeCryptoSecrets(),
  );
}

const wrongPassword = () =>
  Promise.reject(new DomainError('unauthenticated', 'invalid email or password'));
const rightPassword = () => Promise.resolve('signed in');

/** The outcome of one attempt: its result, or the code of the error it ended with. */
async function attempt(promise: Promise<string>): Promise<string> {
  return promise.catch((error: unknown) => (error instanceof DomainError ? error.code : 'error'));
}

describe(LoginFailureCounter.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'auth-login-failures' });
  });

  afterAll(async () => {
    await store.close();
  });

  describe('with AttemptThrottle', () => {
    it('throttles the client that keeps failing, with a Retry-After', async () => {
      const throttle = throttleOn(store);
      const email = `${randomUUID()}@example.test`;
      const outcomes: string[] = [];
      for (let i = 0; i < PER_CLIENT + 2; i++)
        outcomes.push(await attempt(throttle.login(email, '198.51.100.1', wrongPassword)));
      expect(outcomes).toEqual([
        'unauthenticated',
        'unauthenticated',
        'unauthenticated',
        'rate_limited',
        'rate_limited',
      ]);
      const error: unknown = await throttle
        .login(email, '198.51.100.1', rightPassword)
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'rate_limited' });
      expect((error as DomainError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });

    it("does not lock the owner out with someone else's failures", async () => {
      const throttle = throttleOn(store);
      const email = `${randomUUID()}@example.test`;
      for (let client = 0; client < CEILING; client++)
        for (let i = 0; i < PER_CLIENT + 1; i++)
          await attempt(throttle.login(email, `198.51.100.${String(client)}`, wrongPassword));
      await expect(throttle.login(email, '203.0.113.9', rightPassword)).resolves.toBe('signed in');
    });

    it('gives a client that has failed no more tries once the account is over its ceiling', async () => {
      const throttle = throttleOn(store);
      const email = `${randomUUID()}@example.test`;
      for (let client = 0; client < CEILING; client++)
        await attempt(throttle.login(email, `192.0.2.${String(client)}`, wrongPassword));
      await expect(attempt(throttle.login(email, '192.0.2.0', rightPassword))).resolves.toBe(
        'rate_limited',
      );
    });

    it("forgets a client's failures once it signs in", async () => {
      const throttle = throttleOn(store);
      const email = `${randomUUID()}@example.test`;
      for (let i = 0; i < PER_CLIENT - 1; i++)
        await attempt(throttle.login(email, '198.51.100.77', wrongPassword));
      await expect(throttle.login(email, '198.51.100.77', rightPassword)).resolves.toBe(
        'signed in',
      );
      for (let i = 0; i < PER_CLIENT - 1; i++)
        await expect(attempt(throttle.login(email, '198.51.100.77', wrongPassword))).resolves.toBe(
          'unauthenticated',
        );
    });
  });
});
