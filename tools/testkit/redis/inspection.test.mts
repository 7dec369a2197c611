// Against the machine's Redis, on keys of the test's own (unique ids), deleted afterwards.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_KEYS } from '../constants.mts';
import {
  orderStatuses,
  readHashes,
  redisRunId,
  scanKeys,
  setStock,
  stockOf,
} from './inspection.mts';

const REDIS_URL = process.env.TESTKIT_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const run = randomUUID();

describe('Redis inspection', () => {
  let redis: Redis;

  before(() => {
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    const keys = await scanKeys(redis, `*${run}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  describe('readHashes', () => {
    it('reads every hash under a prefix by id, leaving out keys below an id', async () => {
      const prefix = `testkit:${run}:order:`;
      await redis.hset(`${prefix}a`, { status: 'confirmed' });
      await redis.hset(`${prefix}b`, { status: 'rejected' });
      await redis.rpush(`${prefix}a:history`, 'pending');
      const hashes = await readHashes(redis, prefix, (id, hash) => `${id}=${hash.status ?? ''}`);
      assert.deepEqual([...hashes.values()].sort(), ['a=confirmed', 'b=rejected']);
    });
  });

  describe('orderStatuses', () => {
    it("answers each order's status from orders' keys, null for an unknown one", async () => {
      const [one, two] = [`${run}-1`, `${run}-2`];
      await redis.hset(`${REDIS_KEYS.orderPrefix}${one}`, { status: 'pending' });
      assert.deepEqual(await orderStatuses(redis, [one, two]), ['pending', null]);
    });
  });

  describe('setStock', () => {
    it('sets the stock that inventory reads, and stockOf reads it back', async () => {
      await setStock(redis, `SKU-${run}`, 42);
      assert.equal(await redis.get(`${REDIS_KEYS.stockPrefix}SKU-${run}`), '42');
      assert.equal(await stockOf(redis, `SKU-${run}`), 42);
    });
  });

  describe('redisRunId', () => {
    it("answers the server's run id, the same twice", async () => {
      const id = await redisRunId(REDIS_URL);
      assert.match(id, /^[0-9a-f]{40}$/);
      assert.equal(await redisRunId(REDIS_URL), id);
    });
  });
});
