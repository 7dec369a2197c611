import { type Redis } from 'ioredis';
import { type Logger } from 'pino';
import { isStoreFull } from '../errors/domain-error';

/** The key the probe writes (under the service's prefix), and how long it lives. */
const PROBE_KEY = 'health:write-probe';
const PROBE_TTL_MS = 10_000;

/**
 * The readiness check of a service's Redis: PING (rejects while Redis cannot be reached), then
 * one small write with a TTL, because a Redis at its maxmemory (noeviction) still answers PING
 * and reads but refuses every write. Refused writes do not fail readiness: every replica shares
 * the one Redis, so taking them out of their Service moves no traffic anywhere better, and it
 * would also stop the reads (and the JWKS) that still work. They are reported instead: the
 * check resolves with "refuses writes: ..." (`degraded` on /readyz and /statusz), and one log
 * line says when Redis starts refusing writes and one when it accepts them again. Each refused
 * request answers 503 (HttpErrorFilter) and logs why.
 */
export function redisWriteProbe(redis: Redis, logger: Logger): () => Promise<string | undefined> {
  let refusing = false;
  return async () => {
    if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
    await redis.ping();
    try {
      await redis.set(PROBE_KEY, String(process.pid), 'PX', PROBE_TTL_MS);
    } catch (error) {
      if (!isStoreFull(error)) throw error;
      const reason = `refuses writes: ${(error as Error).message}`;
      if (!refusing) {
        logger.warn({ dependency: 'redis' }, `Redis ${reason} (checkouts answer 503)`);
      }
      refusing = true;
      return reason;
    }
    if (refusing) logger.info({ dependency: 'redis' }, 'Redis accepts writes again');
    refusing = false;
    return undefined;
  };
}
