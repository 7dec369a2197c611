// Breaks the books on purpose, behind the services' back, to show that the chaos audit notices.
import { type Redis } from 'ioredis';

/** Deletes one reservation holding stock; resolves with its order id. */
export async function deleteOneReservation(redis: Redis): Promise<string> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'inventory:reservation:*', 'COUNT', 500);
    for (const key of keys) {
      if ((await redis.hget(key, 'status')) === 'reserved') {
        await redis.del(key);
        return key.slice('inventory:reservation:'.length);
      }
    }
    cursor = next;
  } while (cursor !== '0');
  throw new Error('no reservation holds stock: nothing to sabotage');
}
