// Reading (and, for a test's setup, writing) the services' state straight from Redis, never
// through the services: the keys of REDIS_KEYS, scanned and pipelined.
import { Redis } from 'ioredis';
import { OUTBOX_PARTITIONS, REDIS_KEYS } from '../constants.mts';

/** Every key matching `pattern` (SCAN: never blocks Redis the way KEYS does). */
export async function scanKeys(redis: Redis, pattern: string, count = 1000): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Every hash `<prefix><id>` (not `<prefix><id>:<more>`), mapped by id. */
export async function readHashes<T>(
  redis: Redis,
  prefix: string,
  map: (id: string, hash: Record<string, string>) => T,
): Promise<Map<string, T>> {
  const keys = (await scanKeys(redis, `${prefix}*`)).filter(
    (key) => !key.slice(prefix.length).includes(':'),
  );
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hgetall(key);
  const replies = (await pipeline.exec()) ?? [];
  const entries = new Map<string, T>();
  keys.forEach((key, i) => {
    const [error, hash] = replies[i] ?? [];
    if (error) throw error;
    const id = key.slice(prefix.length);
    entries.set(id, map(id, hash as Record<string, string>));
  });
  return entries;
}

/** The status of each order (null where there is none), 500 a pipeline. */
export async function orderStatuses(
  redis: Redis,
  ids: readonly string[],
): Promise<(string | null)[]> {
  const statuses: (string | null)[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const pipeline = redis.pipeline();
    for (const id of ids.slice(i, i + 500))
      pipeline.hget(`${REDIS_KEYS.orderPrefix}${id}`, 'status');
    const replies = (await pipeline.exec()) ?? [];
    statuses.push(...replies.map(([, value]) => (typeof value === 'string' ? value : null)));
  }
  return statuses;
}

/** Every order in the keyspace, counted by status. */
export async function ordersByStatus(redis: Redis): Promise<Record<string, number>> {
  const byStatus: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${REDIS_KEYS.orderPrefix}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    const orderKeys = keys.filter((key) => !key.endsWith(':history'));
    const pipeline = redis.pipeline();
    for (const key of orderKeys) pipeline.hget(key, 'status');
    for (const [, status] of (await pipeline.exec()) ?? []) {
      const name = typeof status === 'string' ? status : 'missing';
      byStatus[name] = (byStatus[name] ?? 0) + 1;
    }
  } while (cursor !== '0');
  return byStatus;
}

/** The outbox partitions' stream keys, `orders:outbox:{0}` … (OUTBOX_PARTITIONS of them). */
export function outboxPartitionKeys(partitions = OUTBOX_PARTITIONS): string[] {
  return Array.from(
    { length: partitions },
    (_, n) => `${REDIS_KEYS.outboxPartitionPrefix}${String(n)}}`,
  );
}

/** Events waiting in orders' outbox: every partition's stream (not the parked ones). */
export async function outboxLength(redis: Redis, partitions = OUTBOX_PARTITIONS): Promise<number> {
  const lengths = await Promise.all(outboxPartitionKeys(partitions).map((key) => redis.xlen(key)));
  return lengths.reduce((sum, length) => sum + length, 0);
}

/** Which relay holds each outbox partition's lease now: lease key → relay id. */
export async function outboxLeaseHolders(
  redis: Redis,
  partitions = OUTBOX_PARTITIONS,
): Promise<Record<string, string>> {
  const leases = outboxPartitionKeys(partitions).map((key) => `${key}:lease`);
  const holders = await Promise.all(leases.map((key) => redis.get(key)));
  return Object.fromEntries(
    leases.flatMap((key, i) => (holders[i] ? [[key, holders[i]] as const] : [])),
  );
}

/** Sets a SKU's stock (inventory's key), e.g. plenty, so out_of_stock never hides a result. */
export async function setStock(redis: Redis, sku: string, units: number): Promise<void> {
  await redis.set(`${REDIS_KEYS.stockPrefix}${sku}`, units);
}

/** A SKU's stock as inventory holds it (NaN when unset). */
export async function stockOf(redis: Redis, sku: string): Promise<number> {
  return Number(await redis.get(`${REDIS_KEYS.stockPrefix}${sku}`));
}

/** Redis's run id: a different one later means Redis restarted (and, here, lost every key). */
export async function redisRunId(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return /run_id:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

/** The version of the Redis at `url`. */
export async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

export async function flushRedis(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
