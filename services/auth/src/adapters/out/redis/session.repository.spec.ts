import { randomBytes, randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { SessionRepository } from './session.repository';

const TTL_SECONDS = 600;
const refreshHash = (): string => randomBytes(32).toString('hex');

/** Rotation without a grace window: any second use of a rotated token revokes. */
const NO_GRACE = 0;
const GRACE_SECONDS = 1;

describe(SessionRepository.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'session-repository' });
  });

  afterAll(async () => {
    await store.close();
  });

  /** A stored session for a new user, and the hash of its current refresh token. */
  async function session() {
    const repository = new SessionRepository(store.redis);
    const sessionId = randomUUID();
    const userId = randomUUID();
    const current = refreshHash();
    await repository.create(sessionId, userId, current, TTL_SECONDS);
    return { repository, sessionId, userId, current };
  }

  describe('create', () => {
    it('makes the session findable from its refresh token, with an expiry', async () => {
      const { repository, sessionId, userId, current } = await session();
      await expect(repository.sessionOf(current)).resolves.toEqual({ sessionId, userId });
      const ttl = await store.redis.ttl(`session:${sessionId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
    });
  });

  describe('sessionOf', () => {
    it('finds nothing for an unknown refresh token', async () => {
      await expect(new SessionRepository(store.redis).sessionOf(refreshHash())).resolves.toBe(
        undefined,
      );
    });
  });

  describe('rotate', () => {
    it("rotates the current token, and the new one becomes the session's", async () => {
      const { repository, sessionId, userId, current } = await session();
      const next = refreshHash();
      await expect(
        repository.rotate(sessionId, current, next, TTL_SECONDS, NO_GRACE),
      ).resolves.toBe('rotated');
      await expect(repository.sessionOf(next)).resolves.toEqual({ sessionId, userId });
      await expect(
        repository.rotate(sessionId, next, refreshHash(), TTL_SECONDS, NO_GRACE),
      ).resolves.toBe('rotated');
    });

    it('revokes the whole session when an already-rotated token comes back', async () => {
      const { repository, sessionId, current } = await session();
      const next = refreshHash();
      await repository.rotate(sessionId, current, next, TTL_SECONDS, NO_GRACE);

      await expect(
        repository.rotate(sessionId, current, refreshHash(), TTL_SECONDS, NO_GRACE),
      ).resolves.toBe('reused');
      await expect(store.redis.exists(`session:${sessionId}`)).resolves.toBe(0);
      await expect(
        repository.rotate(sessionId, next, refreshHash(), TTL_SECONDS, NO_GRACE),
      ).resolves.toBe('revoked');
    });

    it('answers revoked for a session that was logged out', async () => {
      const { repository, sessionId, current } = await session();
      await repository.revoke(sessionId);
      await expect(
        repository.rotate(sessionId, current, refreshHash(), TTL_SECONDS, NO_GRACE),
      ).resolves.toBe('revoked');
    });

    it('lets one of two concurrent rotations of a token win; the replay revokes the session', async () => {
      const { sessionId, current } = await session();
      const other = store.anotherConnection();
      const results = await Promise.all([
        new SessionRepository(store.redis).rotate(
          sessionId,
          current,
          refreshHash(),
          TTL_SECONDS,
          NO_GRACE,
        ),
        new SessionRepository(other).rotate(
          sessionId,
          current,
          refreshHash(),
          TTL_SECONDS,
          NO_GRACE,
        ),
      ]);
      expect([...results].sort()).toEqual(['reused', 'rotated']);
      await expect(store.redis.exists(`session:${sessionId}`)).resolves.toBe(0);
    });

    it('rotates the token just rotated away from once more within the grace window', async () => {
      const { repository, sessionId, userId, current } = await session();
      const [first, second] = [refreshHash(), refreshHash()];
      await expect(
        repository.rotate(sessionId, current, first, TTL_SECONDS, GRACE_SECONDS),
      ).resolves.toBe('rotated');
      await expect(
        repository.rotate(sessionId, current, second, TTL_SECONDS, GRACE_SECONDS),
      ).resolves.toBe('rotated');
      await expect(repository.sessionOf(second)).resolves.toEqual({ sessionId, userId });
      await expect(
        repository.rotate(sessionId, second, refreshHash(), TTL_SECONDS, GRACE_SECONDS),
      ).resolves.toBe('rotated');
    });

    it('revokes the session when the rotated token comes back after the grace window', async () => {
      const { repository, sessionId, current } = await session();
      await repository.rotate(sessionId, current, refreshHash(), TTL_SECONDS, GRACE_SECONDS);
      await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 100));
      await expect(
        repository.rotate(sessionId, current, refreshHash(), TTL_SECONDS, GRACE_SECONDS),
      ).resolves.toBe('reused');
      await expect(store.redis.exists(`session:${sessionId}`)).resolves.toBe(0);
    });

    it('revokes the session for an older token even within the grace window', async () => {
      const { repository, sessionId, current } = await session();
      const next = refreshHash();
      await repository.rotate(sessionId, current, next, TTL_SECONDS, GRACE_SECONDS);
      await repository.rotate(sessionId, next, refreshHash(), TTL_SECONDS, GRACE_SECONDS);
      await expect(
        repository.rotate(sessionId, current, refreshHash(), TTL_SECONDS, GRACE_SECONDS),
      ).resolves.toBe('reused');
    });
  });
});
