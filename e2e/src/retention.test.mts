// Redis does not grow without bound: after checkouts of both paths have ended (confirmed and
// rejected, with and without an Idempotency-Key), a session refreshed, a failed login, and the
// compensations of an order nobody charged, every key the services wrote carries a TTL, except
// the families that are kept on purpose and stay bounded (testkit's KEY_FAMILIES, whose
// reasons docs/reliability.md gives). A new key family without a retention fails here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CARDS,
  DEFAULT_SKU,
  keyRetentions,
  keysWithoutRetention,
  outboxLength,
  PLENTIFUL_SKU,
  queuesOf,
  setStock,
  until,
  CONSUMING_SERVICES,
} from '@junction/testkit';
import { Redis } from 'ioredis';
import { ROOT } from '../../tools/local/topology.mts';
import { Api, type Order, type Session } from './support/api.mts';
import { queueDepth } from './support/broker.mts';
import { REDIS_URL, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { grpcCall } from './support/grpc-call.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** A SKU made scarce for the out-of-stock checkouts. */
const SCARCE_SKU = DEFAULT_SKU;

describe('retention: every key the services write expires, but the kept families', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let redis: Redis;
  const orders: Order[] = [];

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology();
    api = new Api(topology);
    session = await api.newSession();
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    redis.disconnect();
    await topology.stop();
    await removeInfrastructure();
  });

  it('ends checkouts of both paths, confirmed and rejected', async () => {
    await setStock(redis, SCARCE_SKU, 0);
    for (const mode of ['blocking', 'queued'] as const) {
      for (const [sku, paymentMethod] of [
        [PLENTIFUL_SKU, CARDS.approved],
        [PLENTIFUL_SKU, CARDS.declined],
        [SCARCE_SKU, CARDS.approved],
      ] as const) {
        for (const key of [undefined, randomUUID()]) {
          const reply = await api.placeOrder(session, { sku, paymentMethod, mode }, key);
          assert.ok(reply.status === 201 || reply.status === 202, JSON.stringify(reply.body));
          orders.push(await api.settled(session, reply.body.id));
        }
      }
    }
    const outcomes = new Set(orders.map((o) => `${o.mode} ${o.status} ${o.reason}`));
    for (const mode of ['blocking', 'queued']) {
      assert.ok(outcomes.has(`${mode} confirmed `), [...outcomes].join(', '));
      assert.ok(outcomes.has(`${mode} rejected out_of_stock`), [...outcomes].join(', '));
      assert.ok(
        [...outcomes].some((o) => o.startsWith(`${mode} rejected`) && !o.endsWith('out_of_stock')),
        [...outcomes].join(', '),
      );
    }
  });

  it('touches the other families: a refresh, a failed login, a release and a refund of nothing', async () => {
    const refreshed = await api.request('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const me = await api.request<{ email: string }>('user', 'GET', '/users/me', {
      token: session.accessToken,
    });
    const failed = await api.request('auth', 'POST', '/auth/login', {
      body: { email: me.body.email, password: 'not the password' },
    });
    assert.equal(failed.status, 401, JSON.stringify(failed.body));
    const unknownOrder = `retention-${randomUUID()}`;
    const released = await grpcCall({
      target: topology.grpcTarget('inventory'),
      root: ROOT,
      protoFile: 'junction/inventory/v1/inventory.proto',
      service: 'junction.inventory.v1.InventoryService',
      method: 'Release',
      request: { orderId: unknownOrder },
    });
    assert.equal(released.code, 0, released.details);
    await grpcCall({
      target: topology.grpcTarget('payment'),
      root: ROOT,
      protoFile: 'junction/payment/v1/payment.proto',
      service: 'junction.payment.v1.PaymentService',
      method: 'Refund',
      request: { orderId: unknownOrder },
    });
    assert.equal(await redis.exists(`payment:void:${unknownOrder}`), 1, 'a void record is kept');
  });

  it('leaves no key without a TTL outside the kept families once the saga is idle', async () => {
    // Idle: the outbox published and no message waiting, so no write is still to come.
    assert.ok(await until(async () => (await outboxLength(redis)) === 0, 30_000), 'outbox');
    for (const service of CONSUMING_SERVICES) {
      const queue = queuesOf(service).main;
      assert.ok(await until(async () => (await queueDepth(queue)) === 0, 30_000), queue);
    }
    const unbounded = await keysWithoutRetention(redis);
    assert.deepEqual(
      unbounded.map((entry) => `${entry.key} (${entry.family ?? 'no family'})`),
      [],
      'keys without a TTL outside the kept families',
    );
    const all = await keyRetentions(redis);
    const families = new Set(all.map((entry) => entry.family));
    for (const expected of [
      'orders:order:<id>',
      'orders:order:<id>:history',
      'orders:user:<id>:orders',
      'orders:idempotency:<user>:<key>',
      'inventory:reservation:<order>',
      'payment:payment:<order>',
      'payment:void:<order>',
      'payment:captured-at',
      '<service>:inbox:<messageId>',
      'auth:session:<sid>',
      'auth:refresh:<hash>',
      'auth:login-failures:<account>[:<client>]',
    ]) {
      assert.ok(families.has(expected), `the run wrote no ${expected} key`);
    }
  });
});
