// The Jaeger proxy (GET /shop/api/traces/{traceId}) and the demo panel's fault proxy
// (/shop/api/faults/{service}), against real local HTTP servers standing in for Jaeger's query
// and for payment's and inventory's /admin/faults.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type FastifyInstance } from 'fastify';
import { faultProxy } from './fault-proxy.ts';
import { ADMIN_TOKEN, appWith, demoEnv, FakePeer, fakePublicDir } from './testing.mts';
import { traceProxy } from './trace-proxy.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const JSON_TYPE = 'application/json';

describe(traceProxy.name, () => {
  const publicDir = fakePublicDir();
  let jaeger: FakePeer;
  let app: FastifyInstance;

  before(async () => {
    jaeger = await FakePeer.start();
    app = await appWith({ JAEGER_QUERY_URL: `${jaeger.url}/` }, publicDir.dir);
  });
  beforeEach(() => {
    jaeger.seen.length = 0;
  });
  after(async () => {
    await app.close();
    await jaeger.stop();
    publicDir.remove();
  });

  it("returns Jaeger's api/v3 trace as it is", async () => {
    const trace = JSON.stringify({ result: { resourceSpans: [{ scopeSpans: [] }] } });
    jaeger.answer = { status: 200, body: trace, contentType: JSON_TYPE };
    const response = await app.inject({ method: 'GET', url: `/shop/api/traces/${TRACE_ID}` });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, trace);
    assert.equal(jaeger.seen[0]!.url, `/api/v3/traces/${TRACE_ID}`);
  });

  it("passes Jaeger's 404 through (the spans have not arrived yet)", async () => {
    jaeger.answer = { status: 404, body: '{"error":{"httpCode":404}}', contentType: JSON_TYPE };
    const response = await app.inject({ method: 'GET', url: `/shop/api/traces/${TRACE_ID}` });
    assert.equal(response.statusCode, 404);
    assert.equal(response.body, '{"error":{"httpCode":404}}');
  });

  it('answers 502 when Jaeger fails', async () => {
    jaeger.answer = { status: 500, body: 'no' };
    const response = await app.inject({ method: 'GET', url: `/shop/api/traces/${TRACE_ID}` });
    assert.equal(response.statusCode, 502);
  });

  it('refuses 400 a trace id that is not 32 lowercase hex digits, asking Jaeger nothing', async () => {
    for (const id of ['abc', TRACE_ID.toUpperCase(), `${TRACE_ID}0`, '..%2F..%2Fapi']) {
      const response = await app.inject({ method: 'GET', url: `/shop/api/traces/${id}` });
      assert.equal(response.statusCode, 400, id);
    }
    assert.equal(jaeger.seen.length, 0);
  });

  it('answers 503 without JAEGER_QUERY_URL', async () => {
    const off = await appWith({}, publicDir.dir);
    try {
      const response = await off.inject({ method: 'GET', url: `/shop/api/traces/${TRACE_ID}` });
      assert.equal(response.statusCode, 503);
    } finally {
      await off.close();
    }
  });
});

describe(faultProxy.name, () => {
  const publicDir = fakePublicDir();
  let payment: FakePeer;
  let inventory: FakePeer;
  let app: FastifyInstance;
  const report = JSON.stringify({
    service: 'payment',
    operations: ['charge', 'refund'],
    defaults: { latencyMs: 0, errorRate: 0 },
    runtime: {},
  });

  before(async () => {
    payment = await FakePeer.start();
    inventory = await FakePeer.start();
    app = await appWith(demoEnv(payment.url, inventory.url), publicDir.dir);
  });
  beforeEach(() => {
    for (const peer of [payment, inventory]) {
      peer.seen.length = 0;
      peer.answer = { status: 200, body: report, contentType: JSON_TYPE };
    }
  });
  after(async () => {
    await app.close();
    await payment.stop();
    await inventory.stop();
    publicDir.remove();
  });

  it("GET reads the service's settings with the operator token", async () => {
    const response = await app.inject({ method: 'GET', url: '/shop/api/faults/payment' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, report);
    assert.equal(payment.seen[0]!.method, 'GET');
    assert.equal(payment.seen[0]!.url, '/admin/faults');
    assert.equal(payment.seen[0]!.headers.authorization, `Bearer ${ADMIN_TOKEN}`);
  });

  it('PUT passes the JSON body on, to the service named', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/shop/api/faults/inventory',
      payload: { latencyMs: 300, errorRate: 0.25 },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(payment.seen.length, 0);
    assert.equal(inventory.seen[0]!.method, 'PUT');
    assert.equal(inventory.seen[0]!.headers['content-type'], JSON_TYPE);
    assert.deepEqual(JSON.parse(inventory.seen[0]!.body), { latencyMs: 300, errorRate: 0.25 });
  });

  it("DELETE clears, passing ?operation= on; the service's status and body come back", async () => {
    payment.answer = { status: 400, body: '{"message":"bad operation"}', contentType: JSON_TYPE };
    const response = await app.inject({
      method: 'DELETE',
      url: '/shop/api/faults/payment?operation=nope',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.body, '{"message":"bad operation"}');
    assert.equal(payment.seen[0]!.url, '/admin/faults?operation=nope');
  });

  it('answers 404 for a service without faults', async () => {
    const response = await app.inject({ method: 'GET', url: '/shop/api/faults/orders' });
    assert.equal(response.statusCode, 404);
  });

  it('answers 502 when the service cannot be reached', async () => {
    const unreachable = await appWith(
      demoEnv('http://127.0.0.1:1', 'http://127.0.0.1:1'),
      publicDir.dir,
    );
    try {
      const response = await unreachable.inject({ method: 'GET', url: '/shop/api/faults/payment' });
      assert.equal(response.statusCode, 502);
      assert.match(response.json<{ message: string }>().message, /payment cannot be reached/);
    } finally {
      await unreachable.close();
    }
  });

  it('is a 404 when DEMO_PANEL is off, for every method, and the config says so', async () => {
    const off = await appWith({ DEMO_PANEL: 'false' }, publicDir.dir);
    try {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const response = await off.inject({ method, url: '/shop/api/faults/payment' });
        assert.equal(response.statusCode, 404, method);
      }
      const config = await off.inject({ method: 'GET', url: '/shop/config.json' });
      assert.equal(config.json<{ demoPanel: boolean }>().demoPanel, false);
    } finally {
      await off.close();
    }
    assert.equal(payment.seen.length, 0);
  });
});
