// POST /shop/otlp/v1/traces against a real local HTTP server standing in for the collector.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type FastifyInstance } from 'fastify';
import { OTLP_BODY_LIMIT_BYTES, OTLP_RATE_LIMIT, otlpRelay } from './otlp-relay.ts';
import { appWith, FakePeer, fakePublicDir } from './testing.mts';

const URL = '/shop/otlp/v1/traces';

function exportOf(...serviceNames: (string | undefined)[]): object {
  return {
    resourceSpans: serviceNames.map((name) => ({
      resource: {
        attributes:
          name === undefined ? [] : [{ key: 'service.name', value: { stringValue: name } }],
      },
      scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', name: 'click' }] }],
    })),
  };
}

describe(otlpRelay.name, () => {
  const publicDir = fakePublicDir();
  let collector: FakePeer;
  let app: FastifyInstance;

  before(async () => {
    collector = await FakePeer.start();
    app = await appWith({ OTLP_TRACES_URL: `${collector.url}/v1/traces` }, publicDir.dir);
  });
  beforeEach(() => {
    collector.seen.length = 0;
    collector.answer = { status: 200, body: '{}', contentType: 'application/json' };
  });
  after(async () => {
    await app.close();
    await collector.stop();
    publicDir.remove();
  });

  const post = (payload: unknown, headers: Record<string, string> = {}, ip = '203.0.113.1') =>
    app.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it("forwards the storefront's spans to the collector and answers 200 {}", async () => {
    const response = await post(exportOf('junction-storefront'));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {});
    assert.equal(collector.seen.length, 1);
    assert.equal(collector.seen[0]!.url, '/v1/traces');
    assert.equal(collector.seen[0]!.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(collector.seen[0]!.body), exportOf('junction-storefront'));
  });

  it("passes the collector's partial success on", async () => {
    const partial = { partialSuccess: { rejectedSpans: '1', errorMessage: 'too old' } };
    collector.answer = {
      status: 200,
      body: JSON.stringify(partial),
      contentType: 'application/json',
    };
    const response = await post(exportOf('junction-storefront'));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), partial);
  });

  it('refuses 400 when any resource is not the storefront, and forwards nothing', async () => {
    for (const body of [
      exportOf('junction-storefront', 'orders'),
      exportOf(undefined),
      { resourceSpans: 'no' },
      { spans: [] },
    ]) {
      const response = await post(body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.match(response.json<{ message: string }>().message, /resourceSpans/);
    }
    assert.equal(
      (await post(exportOf('junction-storefront', 'orders'))).json<{ message: string }>().message,
      'resourceSpans.1.resource: service.name must be "junction-storefront"',
    );
    assert.equal(collector.seen.length, 0);
  });

  it('refuses 400 a body that is not JSON', async () => {
    const response = await post('{"resourceSpans": [');
    assert.equal(response.statusCode, 400);
  });

  it('refuses 415 any media type but JSON (protobuf, text, none)', async () => {
    for (const type of ['application/x-protobuf', 'text/plain', '']) {
      const response = await app.inject({
        method: 'POST',
        url: URL,
        headers: type === '' ? {} : { 'content-type': type },
        payload: 'x',
      });
      assert.equal(response.statusCode, 415, type);
      assert.equal(response.json<{ error: string }>().error, 'unsupported_media_type');
    }
    assert.equal(collector.seen.length, 0);
  });

  it('refuses 413 a body over 512 KiB', async () => {
    const big = JSON.stringify({ resourceSpans: [], padding: 'x'.repeat(OTLP_BODY_LIMIT_BYTES) });
    const response = await post(big);
    assert.equal(response.statusCode, 413);
    assert.equal(response.json<{ error: string }>().error, 'payload_too_large');
  });

  it('answers 502 when the collector fails, or cannot be reached', async () => {
    collector.answer = { status: 500, body: 'boom' };
    const failed = await post(exportOf('junction-storefront'));
    assert.equal(failed.statusCode, 502);
    assert.equal(failed.json<{ message: string }>().message, 'the trace collector answered 500');

    const unreachable = await appWith(
      { OTLP_TRACES_URL: 'http://127.0.0.1:1/v1/traces' },
      publicDir.dir,
    );
    try {
      const response = await unreachable.inject({
        method: 'POST',
        url: URL,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(exportOf('junction-storefront')),
      });
      assert.equal(response.statusCode, 502);
      assert.match(response.json<{ message: string }>().message, /cannot be reached/);
    } finally {
      await unreachable.close();
    }
  });

  it('limits the rate per client: the address the gateway appended last', async () => {
    const client = '198.51.100.9';
    for (let i = 0; i < OTLP_RATE_LIMIT.max; i += 1) {
      // The first hop is whatever the client wrote; it changes and must not matter.
      const response = await post(
        exportOf('junction-storefront'),
        {},
        `10.0.0.${String(i % 250)}, ${client}`,
      );
      assert.equal(response.statusCode, 200);
    }
    const limited = await post(exportOf('junction-storefront'), {}, `10.9.9.9, ${client}`);
    assert.equal(limited.statusCode, 429);
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
    assert.match(limited.json<{ message: string }>().message, /try again in \d+ s/);
    const other = await post(exportOf('junction-storefront'), {}, `${client}, 198.51.100.10`);
    assert.equal(other.statusCode, 200, 'another client is not limited');
  });

  it('answers 503 when browser tracing is off', async () => {
    const off = await appWith({}, publicDir.dir);
    try {
      const response = await off.inject({
        method: 'POST',
        url: URL,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(exportOf('junction-storefront')),
      });
      assert.equal(response.statusCode, 503);
    } finally {
      await off.close();
    }
  });
});
