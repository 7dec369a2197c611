// A Redis at its maxmemory (noeviction) refuses writes: checkouts answer a clear 503 and write
// nothing, reads still answer, readiness stays 200 but says so (`degraded`), and the log says
// when Redis started refusing writes and when it accepts them again. Run on a redis-server of
// the test's own (a free loopback port, a temporary dir): the machine's Redis is never limited.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CARDS, freePort, PLENTIFUL_SKU, scanKeys, until } from '@junction/testkit';
import { Redis } from 'ioredis';
import { OwnRedisServer } from '../../tools/chaos/own-redis.mts';
import { Api, type Order, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

interface Readiness {
  ready: boolean;
  checks: Record<string, { status: string; degraded?: string }>;
}

/** The business keys an order writes (leases, heartbeats and probes come and go by themselves). */
const BUSINESS_KEYS = [
  'orders:order:*',
  'orders:user:*',
  'orders:idempotency:*',
  'inventory:reservation:*',
  'payment:payment:*',
  'payment:void:*',
];

describe('a Redis that refuses writes (maxmemory reached, noeviction)', () => {
  let server: OwnRedisServer;
  let redis: Redis;
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let before_: Order;

  const businessKeys = async (): Promise<string[]> =>
    (await Promise.all(BUSINESS_KEYS.map((pattern) => scanKeys(redis, pattern)))).flat().sort();
  const outboxEntries = async (): Promise<number> => {
    const streams = await scanKeys(redis, 'orders:outbox:{*}');
    const lengths = await Promise.all(
      streams.filter((key) => key.endsWith('}')).map((key) => redis.xlen(key)),
    );
    return lengths.reduce((sum, n) => sum + n, 0);
  };
  const readiness = async (service: string) => api.request<Readiness>(service, 'GET', '/readyz');

  before(async () => {
    await resetInfrastructure();
    server = await OwnRedisServer.start(await freePort());
    redis = new Redis(server.url());
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    topology = await startE2eTopology({ redisUrl: server.url() });
    api = new Api(topology);
    session = await api.newSession();
    const placed = await api.placeOrder(session, { sku: PLENTIFUL_SKU, mode: 'blocking' });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    before_ = placed.body;
  });

  after(async () => {
    redis.disconnect();
    await topology.stop();
    await server.remove();
    await removeInfrastructure();
  });

  it('answers a checkout 503 with Retry-After and writes nothing of it', async () => {
    const keys = await businessKeys();
    const outbox = await outboxEntries();
    await redis.config('SET', 'maxmemory', '1');
    for (const mode of ['blocking', 'queued'] as const) {
      for (const key of [undefined, randomUUID()]) {
        const reply = await api.placeOrder(session, { sku: PLENTIFUL_SKU, mode }, key);
        assert.equal(reply.status, 503, `${mode}: ${JSON.stringify(reply.body)}`);
        assert.match(JSON.stringify(reply.body), /refuses writes/);
        assert.ok(reply.headers.get('retry-after'), 'Retry-After');
      }
    }
    assert.deepEqual(await businessKeys(), keys, 'no key of the refused checkouts');
    assert.equal(await outboxEntries(), outbox, 'no event of the refused checkouts');
  });

  it('still serves reads', async () => {
    assert.equal((await api.order(session, before_.id)).status, 'confirmed');
    const items = await api.request('inventory', 'GET', `/inventory/items/${PLENTIFUL_SKU}`);
    assert.equal(items.status, 200);
  });

  it('stays ready, and says on /readyz, /statusz and in the log that Redis refuses writes', async () => {
    for (const service of ['orders', 'inventory', 'payment', 'auth', 'user']) {
      const reply = await readiness(service);
      assert.equal(reply.status, 200, `${service}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.checks.redis?.status, 'up');
      assert.match(reply.body.checks.redis.degraded ?? '', /^refuses writes: OOM /, service);
    }
    const status = await api.request<{ readiness: Readiness }>('orders', 'GET', '/statusz');
    assert.match(status.body.readiness.checks.redis?.degraded ?? '', /refuses writes/);
    const logs = topology.logs.get('orders') ?? [];
    assert.ok(
      logs.some((line) => line.includes('Redis refuses writes: OOM')),
      'orders logs that Redis refuses writes',
    );
    assert.ok(
      logs.some((line) => line.includes('Redis refuses writes (maxmemory reached)')),
      'orders logs the refused checkout',
    );
  });

  it('takes orders again once Redis accepts writes, and says so', async () => {
    await redis.config('SET', 'maxmemory', '0');
    const reply = await readiness('orders');
    assert.equal(reply.body.checks.redis?.degraded, undefined, JSON.stringify(reply.body));
    assert.ok(
      await until(
        () =>
          Promise.resolve(
            (topology.logs.get('orders') ?? []).some((l) => l.includes('accepts writes again')),
          ),
        5_000,
      ),
      'orders logs that Redis accepts writes again',
    );
    const placed = await api.placeOrder(session, {
      sku: PLENTIFUL_SKU,
      paymentMethod: CARDS.approved,
      mode: 'blocking',
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.status, 'confirmed');
  });
});
