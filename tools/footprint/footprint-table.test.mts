import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familyOf } from '@junction/testkit';
import { redisBytes } from '@junction/testkit';
import { footprintOf, type MeasuredKey, steadyStateOf } from './footprint-table.mts';

const DAY_MS = 86_400_000;
const keys = (entries: Record<string, MeasuredKey>) => new Map(Object.entries(entries));

describe('footprintOf', () => {
  it('counts per order what the batch added, by family, with the longest TTL seen', () => {
    const before = keys({
      'orders:user:u1:orders': { bytes: 100, ttlMs: 31 * DAY_MS },
      'inventory:stock:JNC-MUG': { bytes: 50, ttlMs: -1 },
    });
    const after = keys({
      'orders:user:u1:orders': { bytes: 300, ttlMs: 31 * DAY_MS },
      'inventory:stock:JNC-MUG': { bytes: 50, ttlMs: -1 },
      'orders:order:a': { bytes: 400, ttlMs: 30 * DAY_MS - 5_000 },
      'orders:order:b': { bytes: 400, ttlMs: 30 * DAY_MS },
      'orders:something-new': { bytes: 20, ttlMs: -1 },
    });
    assert.deepEqual(footprintOf(before, after, 2, familyOf), [
      {
        family: 'orders:order:<id>',
        newKeys: 2,
        bytesPerOrder: 400,
        retentionSeconds: 30 * 86_400,
      },
      {
        family: 'orders:user:<id>:orders',
        newKeys: 0,
        bytesPerOrder: 100,
        retentionSeconds: 31 * 86_400,
      },
      { family: '(no family)', newKeys: 1, bytesPerOrder: 10, retentionSeconds: undefined },
    ]);
  });
});

describe('steadyStateOf', () => {
  it('sums bytes × retention in days, and what never expires apart', () => {
    const state = steadyStateOf([
      { family: 'a', newKeys: 1, bytesPerOrder: 400, retentionSeconds: 30 * 86_400 },
      { family: 'b', newKeys: 1, bytesPerOrder: 240, retentionSeconds: 12 * 3_600 },
      { family: 'c', newKeys: 1, bytesPerOrder: 10, retentionSeconds: undefined },
    ]);
    assert.deepEqual(state, {
      bytesPerOrder: 650,
      keptBytesPerOrder: 10,
      byteDaysPerOrder: 400 * 30 + 120,
    });
  });
});

describe('redisBytes', () => {
  it('reads memory values as redis.conf does (mb is 2^20, m is 10^6)', () => {
    assert.equal(redisBytes('80mb'), 80 * 2 ** 20);
    assert.equal(redisBytes('1m'), 1e6);
    assert.equal(redisBytes('1048576'), 2 ** 20);
    assert.throws(() => redisBytes('80 MiB'), /not a Redis memory value/);
  });
});
