// The checkout, end to end over HTTP against the five services as processes, with the real
// RabbitMQ and Redis: both paths, both outcomes, stock, isolation between users, concurrency,
// idempotency, duplicates and poison on the broker.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { REDIS_KEYS, setStock as setStockIn } from '@junction/testkit';
import { Redis } from 'ioredis';
import { Api, type Order, type Session } from './support/api.mts';
import { drain, publishRaw, queueDepth } from './support/broker.mts';
import {
  declinedBlockingCheckoutRestoresStock,
  queuedCheckoutConfirms,
} from './support/checkout-flows.mts';
import { REDIS_URL, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

let topology: E2eTopology;
let api: Api;
let redis: Redis;
let alice: Session;
let bob: Session;

/** Sets a SKU's stock directly in inventory's keyspace (test setup only). */
const setStock = (sku: string, units: number): Promise<void> => setStockIn(redis, sku, units);

describe('checkout', () => {
  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology();
    api = new Api(topology);
    redis = new Redis(REDIS_URL);
    [alice, bob] = await Promise.all([api.newSession(), api.newSession()]);
  });

  after(async () => {
    redis.disconnect();
    const codes = await topology.stop();
    assert.ok(
      Object.values(codes).every((code) => code === 0),
      JSON.stringify(codes),
    );
    await removeInfrastructure();
  });

  it('shows the user their profile and the catalog', async () => {
    const me = await api.request<{ id: string }>('user', 'GET', '/users/me', {
      token: alice.accessToken,
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, alice.userId);
    const items = await api.request<{ items: { sku: string; available: number }[] }>(
      'inventory',
      'GET',
      '/inventory/items',
    );
    assert.equal(items.status, 200);
    assert.ok(items.body.items.length >= 5);
    assert.ok(items.body.items.every((item) => item.available > 0));
  });

  describe('blocking', () => {
    it('confirms an order with 201 and takes the stock', async () => {
      await setStock('JNC-MUG', 10);
      const reply = await api.placeOrder(alice, { sku: 'JNC-MUG', quantity: 2, mode: 'blocking' });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.status, 'confirmed');
      assert.equal(reply.body.totalCents, 2400);
      assert.deepEqual(
        reply.body.history.map((h) => h.status),
        ['pending', 'confirmed'],
      );
      assert.equal(await api.available('JNC-MUG'), 8);
      const payment = await api.request<{ status: string }>(
        'payment',
        'GET',
        `/payments/${reply.body.id}`,
        {
          token: alice.accessToken,
        },
      );
      assert.equal(payment.body.status, 'captured');
    });

    it('rejects a declined payment with 201 and restores the stock', async () => {
      await declinedBlockingCheckoutRestoresStock(api, alice, setStock);
    });

    it('rejects an order beyond the stock as out_of_stock', async () => {
      await setStock('JNC-LIMITED', 1);
      const reply = await api.placeOrder(alice, {
        sku: 'JNC-LIMITED',
        quantity: 2,
        mode: 'blocking',
      });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.status, 'rejected');
      assert.equal(reply.body.reason, 'out_of_stock');
      assert.equal(await api.available('JNC-LIMITED'), 1);
    });
  });

  describe('queued', () => {
    it('answers 202 with Location at once and streams the order to confirmed over SSE', async () => {
      await queuedCheckoutConfirms(api, alice, setStock);
    });

    it('streams a declined order to rejected and returns its stock', async () => {
      await setStock('JNC-TEE', 7);
      const reply = await api.placeOrder(alice, {
        sku: 'JNC-TEE',
        paymentMethod: 'pm_card_declined',
        mode: 'queued',
      });
      assert.equal(reply.status, 202);
      const { events } = await api.streamEvents(alice, reply.body.id);
      assert.equal(events.at(-1)?.status, 'rejected');
      assert.equal(events.at(-1)?.reason, 'payment_declined');
      // The release is the last hop (payment.declined → inventory): wait for it.
      for (let i = 0; i < 100 && (await api.available('JNC-TEE')) !== 7; i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.equal(await api.available('JNC-TEE'), 7);
    });

    it('rejects an order beyond the stock as out_of_stock', async () => {
      await setStock('JNC-LIMITED', 1);
      const reply = await api.placeOrder(alice, {
        sku: 'JNC-LIMITED',
        quantity: 3,
        mode: 'queued',
      });
      assert.equal(reply.status, 202);
      const order = await api.settled(alice, reply.body.id);
      assert.equal(order.status, 'rejected');
      assert.equal(order.reason, 'out_of_stock');
    });
  });

  describe('isolation between users', () => {
    it("answers 404 for another user's order, its events and its payment", async () => {
      const reply = await api.placeOrder(alice, { sku: 'JNC-STICKER', mode: 'blocking' });
      const id = reply.body.id;
      assert.equal(
        (await api.request('orders', 'GET', `/orders/${id}`, { token: bob.accessToken })).status,
        404,
      );
      assert.equal((await api.streamEvents(bob, id)).status, 404);
      assert.equal(
        (await api.request('payment', 'GET', `/payments/${id}`, { token: bob.accessToken })).status,
        404,
      );
      const list = await api.request<{ orders: Order[] }>('orders', 'GET', '/orders', {
        token: bob.accessToken,
      });
      assert.ok(list.body.orders.every((order) => order.userId === bob.userId));
    });

    it('answers 401 without a token', async () => {
      const reply = await api.request<{ message: string }>('orders', 'GET', '/orders');
      assert.equal(reply.status, 401);
      assert.match(reply.body.message, /bearer token/);
    });
  });

  describe('bad input', () => {
    it('answers 400 with the field for an invalid body', async () => {
      const reply = await api.request<{ violations: { field: string }[] }>(
        'orders',
        'POST',
        '/orders',
        {
          token: alice.accessToken,
          body: { lines: [{ sku: 'JNC-MUG', quantity: 0 }], paymentMethod: 'cash', mode: 'later' },
        },
      );
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body.violations.map((v) => v.field).sort(), [
        'lines.0.quantity',
        'mode',
        'paymentMethod',
      ]);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const response = await fetch(topology.url('orders', '/orders'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${alice.accessToken}`,
        },
        body: '{"lines": [',
      });
      assert.equal(response.status, 400);
    });
  });

  it('sells exactly the stock to 200 concurrent orders of mixed modes, never more', async () => {
    await setStock('JNC-TEE', 50);
    const buyers = await Promise.all(Array.from({ length: 4 }, () => api.newSession()));
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api.placeOrder(buyers[i % 4] as Session, {
          sku: 'JNC-TEE',
          mode: i % 2 === 0 ? 'blocking' : 'queued',
        }),
      ),
    );
    assert.ok(
      replies.every((r) => r.status === 201 || r.status === 202),
      JSON.stringify(replies.map((r) => r.status)),
    );
    const orders = await Promise.all(
      replies.map((r, i) => api.settled(buyers[i % 4] as Session, r.body.id, 60_000)),
    );
    const confirmed = orders.filter((o) => o.status === 'confirmed');
    const rejected = orders.filter((o) => o.status === 'rejected');
    assert.equal(confirmed.length, 50);
    assert.equal(rejected.length, 150);
    assert.ok(
      rejected.every((o) => o.reason === 'out_of_stock'),
      JSON.stringify(rejected.map((o) => o.reason)),
    );
    assert.equal(Number(await redis.get('inventory:stock:JNC-TEE')), 0);
    assert.equal(await countCaptured(confirmed), 50, 'one capture per confirmed order');
    assert.equal(await countCaptured(rejected), 0, 'no capture for a rejected order');
  });

  it('creates one order and one charge for the same Idempotency-Key sent 5 times concurrently', async () => {
    await setStock('JNC-MUG', 10);
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.placeOrder(alice, { sku: 'JNC-MUG', mode: 'blocking' }, key),
      ),
    );
    const ids = new Set(replies.map((r) => r.body.id));
    assert.equal(ids.size, 1);
    const [id] = [...ids] as [string];
    assert.ok(replies.every((r) => r.status === 201 && r.body.status === 'confirmed'));
    assert.equal(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 4);
    assert.equal(await api.available('JNC-MUG'), 9);
    assert.notEqual(await redis.zscore(REDIS_KEYS.captured, id), null);
    const orders = await api.request<{ orders: Order[] }>('orders', 'GET', '/orders', {
      token: alice.accessToken,
    });
    assert.equal(orders.body.orders.filter((o) => o.id === id).length, 1);
    const conflict = await api.placeOrder(
      alice,
      { sku: 'JNC-MUG', quantity: 2, mode: 'blocking' },
      key,
    );
    assert.equal(conflict.status, 409);
  });

  it('gives an event delivered 3 times exactly one effect', async () => {
    await setStock('JNC-CAP', 9);
    const orderId = `dup-${randomUUID()}`;
    const body = JSON.stringify({
      messageId: `order.placed:${orderId}`,
      type: 'order.placed',
      occurredAt: new Date().toISOString(),
      orderId,
      userId: alice.userId,
      lines: [{ sku: 'JNC-CAP', quantity: 2 }],
      paymentMethod: 'pm_card_ok',
    });
    for (let i = 0; i < 3; i++) await publishRaw('order.placed', body, `order.placed:${orderId}`);
    for (let i = 0; i < 100 && (await redis.zscore(REDIS_KEYS.captured, orderId)) === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.notEqual(await redis.zscore(REDIS_KEYS.captured, orderId), null);
    assert.equal(await api.available('JNC-CAP'), 7);
  });

  it('parks a non-JSON and a schema-invalid message, and keeps completing orders', async () => {
    await publishRaw('order.placed', 'this is not json', 'poison-1');
    await publishRaw(
      'order.placed',
      JSON.stringify({ messageId: 'poison-2', type: 'order.placed', orderId: 42 }),
      'poison-2',
    );
    await setStock('JNC-STICKER', 10);
    const reply = await api.placeOrder(alice, { sku: 'JNC-STICKER', mode: 'queued' });
    assert.equal((await api.settled(alice, reply.body.id)).status, 'confirmed');
    const parked = await drain('inventory.events.parking');
    const reasons = parked.map((m) => String(m.headers['x-parked-reason']));
    assert.equal(parked.length, 2, JSON.stringify(reasons));
    assert.ok(reasons.some((r) => r.includes('not JSON')));
    assert.ok(reasons.some((r) => r.includes('invalid order.placed')));
    assert.equal(await queueDepth('inventory.events'), 0);
  });
});

async function countCaptured(orders: Order[]): Promise<number> {
  let count = 0;
  for (const order of orders)
    if ((await redis.zscore(REDIS_KEYS.captured, order.id)) !== null) count += 1;
  return count;
}
