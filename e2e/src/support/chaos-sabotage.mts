// Breaks the books on purpose, behind the services' back, to show that the chaos audit notices.
import { REDIS_KEYS, scanKeys } from '@junction/testkit';
import { type Redis } from 'ioredis';

/** Deletes one reservation holding stock; resolves with its order id. */
export async function deleteOneReservation(redis: Redis): Promise<string> {
  const prefix = REDIS_KEYS.reservationPrefix;
  for (const key of await scanKeys(redis, `${prefix}*`, 500)) {
    if ((await redis.hget(key, 'status')) === 'reserved') {
      await redis.del(key);
      return key.slice(prefix.length);
    }
  }
  throw new Error('no reservation holds stock: nothing to sabotage');
}
