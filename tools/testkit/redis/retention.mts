// Every Redis key family the services write, with its retention rule: the one list the
// retention test (no key without a TTL outside the kept families) and the footprint tool
// (bytes per order, by family) read. docs/reliability.md ("Retention") is its prose.
import { type Redis } from 'ioredis';
import { scanKeys } from './inspection.mts';

export interface KeyFamily {
  /** The family's name in reports, e.g. `orders:order:<id>`. */
  readonly name: string;
  /** Matches the family's keys (full key names, service prefix included). */
  readonly pattern: RegExp;
  /**
   * Kept without a TTL, and why its size stays bounded; absent for a family whose every key
   * must carry a TTL once the order it belongs to is terminal.
   */
  readonly kept?: string;
}

const ID = '[^:]+';
const family = (name: string, pattern: string, kept?: string): KeyFamily => ({
  name,
  pattern: new RegExp(`^${pattern}$`),
  ...(kept === undefined ? {} : { kept }),
});

/** Most specific first: a key belongs to the first family whose pattern matches it. */
export const KEY_FAMILIES: readonly KeyFamily[] = [
  family('auth:session:<sid>', `auth:session:${ID}`),
  family('auth:refresh:<hash>', `auth:refresh:${ID}`),
  family('auth:login-failures:<account>[:<client>]', 'auth:login-failures:.+'),
  family('auth:signing-keys', 'auth:signing-keys', 'the signing keys: retired keys are deleted'),
  family('auth:signing-keys:newest', 'auth:signing-keys:newest', 'one key'),
  family('user:user:<id>', `user:user:${ID}`, 'the accounts'),
  family('user:email:<address>', 'user:email:.+', 'one per account'),
  family('orders:order:<id>:history', `orders:order:${ID}:history`),
  family('orders:order:<id>', `orders:order:${ID}`),
  family('orders:user:<id>:orders', `orders:user:${ID}:orders`),
  family('orders:idempotency:<user>:<key>', 'orders:idempotency:.+'),
  family(
    'orders:blocking-in-flight',
    'orders:blocking-in-flight',
    'blocking checkouts not finished: an order leaves it when terminal',
  ),
  family(
    'orders:queued-pending',
    'orders:queued-pending',
    'queued orders still pending: an order leaves it when terminal',
  ),
  family(
    'orders:to-compensate',
    'orders:to-compensate',
    'rejected orders whose release/refund is not done: an order leaves it when compensated',
  ),
  family(
    'orders:outbox:{<n>}:parked',
    'orders:outbox:\\{\\d+\\}:parked',
    'events the relay could not publish, kept for an operator (one per partition)',
  ),
  family('orders:outbox:{<n>}:lease', 'orders:outbox:\\{\\d+\\}:lease'),
  family(
    'orders:outbox:{<n>}',
    'orders:outbox:\\{\\d+\\}',
    'a partition stream: each entry is deleted once the broker confirmed it',
  ),
  family(
    'orders:outbox:relays',
    'orders:outbox:relays',
    'live relays: a heartbeat drops the expired ones',
  ),
  family('inventory:reservation:<order>', `inventory:reservation:${ID}`),
  family('inventory:stock:<sku>', `inventory:stock:${ID}`, 'the stock, one per SKU'),
  family('inventory:item:<sku>', `inventory:item:${ID}`, 'the catalog, one per SKU'),
  family('inventory:catalog', 'inventory:catalog', 'the catalog, one set'),
  family('payment:payment:<order>', `payment:payment:${ID}`),
  family('payment:void:<order>', `payment:void:${ID}`),
  family('payment:captured-at', 'payment:captured-at'),
  family('<service>:inbox:<messageId>', `${ID}:inbox:.+`),
  family('<service>:ratelimit:<rule>:<subject>', `${ID}:ratelimit:.+`),
  family('<service>:health:write-probe', `${ID}:health:write-probe`),
  family('<service>:fault', `${ID}:fault`, 'the fault settings, one hash per service'),
];

/** The family of `key`, if it belongs to one. */
export function familyOf(key: string): KeyFamily | undefined {
  return KEY_FAMILIES.find((candidate) => candidate.pattern.test(key));
}

export interface KeyRetention {
  readonly key: string;
  readonly family: string | undefined;
  /** Milliseconds left (PTTL): -1 for a key without a TTL. */
  readonly ttlMs: number;
}

/** Every key of the database with its family and PTTL (keys gone meanwhile are left out). */
export async function keyRetentions(redis: Redis): Promise<KeyRetention[]> {
  const keys = await scanKeys(redis, '*');
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.pttl(key);
  const replies = (await pipeline.exec()) ?? [];
  return keys.flatMap((key, i) => {
    const ttlMs = Number(replies[i]?.[1] ?? -2);
    return ttlMs === -2 ? [] : [{ key, family: familyOf(key)?.name, ttlMs }];
  });
}

/** The keys without a TTL that belong to no kept family: each one grows Redis forever. */
export async function keysWithoutRetention(redis: Redis): Promise<KeyRetention[]> {
  return (await keyRetentions(redis)).filter(
    (entry) => entry.ttlMs === -1 && familyOf(entry.key)?.kept === undefined,
  );
}
