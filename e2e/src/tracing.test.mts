// Traces, as a person reads them in Jaeger: the five services export OTLP to a receiver this test
// runs, and the test checks the shapes docs/tracing.md describes — a blocking checkout is one
// trace whose POST /orders span contains the gRPC calls; a queued checkout is one trace that goes
// on after the 202, producer → consumer, hop after hop, with the time each message waited; every
// span of a checkout says which path it is on; probes make no spans; logs carry the trace id;
// +300 ms on payment (through `npm run fault`) slows the blocking POST and not the queued one.
//
// E2E_UPDATE_FIXTURES=1 also rewrites fixtures/checkout-traces.json (the trace CLI's test data).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attributesOf, onlyTrace, type Span, type TracesData } from '../../tools/trace/otlp.mts';
import { Api, type Order, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { fault } from './support/fault.mts';
import { grpcHealth } from './support/grpc-health.mts';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.mts';
import {
  assertBlockingShape,
  assertQueuedShape,
  one,
  ofOrder,
  assertLinkedHops,
  serverSpan,
  traceOf,
} from './support/trace-shapes.mts';
import {
  assertCleanExits,
  type E2eTopology,
  REFERENCE_SERVICES,
  startTracedE2eTopology,
} from './support/topology.mts';

let receiver: OtlpReceiver;
let topology: E2eTopology;
let api: Api;
let session: Session;

interface Checkout {
  readonly order: Order;
  readonly spans: Span[];
  /** The POST's `traceresponse` header. */
  readonly traceResponse: string | null;
}
type Mode = 'blocking' | 'queued';
/** Three unfaulted checkouts of each path (after a warm-up), placed in `before`. */
const placed: Record<Mode, Checkout[]> = { blocking: [], queued: [] };

/**
 * Places `count` orders one after the other, waits until they are settled and until their spans
 * (from every service) are exported, and returns them with their traces.
 */
async function checkouts(mode: Mode, count: number): Promise<Checkout[]> {
  const orders: Order[] = [];
  const traceResponses: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await api.placeOrder(session, { sku: 'JNC-MUG', mode });
    assert.equal(reply.status, mode === 'blocking' ? 201 : 202, JSON.stringify(reply.body));
    orders.push(reply.body);
    traceResponses.push(reply.headers.get('traceresponse'));
  }
  const settled = await Promise.all(orders.map((order) => api.settled(session, order.id)));
  assert.deepEqual(
    settled.map((order) => order.status),
    orders.map(() => 'confirmed'),
  );
  // The last span of a checkout: the POST's server span, or orders' consumer span of the outcome.
  const last = (span: Span) =>
    span.service === 'orders' && span.kind === (mode === 'blocking' ? 'SERVER' : 'CONSUMER');
  await receiver.waitFor(
    (all) => orders.every((order) => ofOrder(all, order.id).some(last)),
    10_000,
    `the spans of ${String(count)} ${mode} checkouts`,
  );
  // The few spans that end after it (the inbox write) come in the next export batch.
  await new Promise((resolve) => setTimeout(resolve, 400));
  const spans = receiver.spans();
  return settled.map((order, i) => ({
    order,
    spans: traceOf(spans, order.id),
    traceResponse: traceResponses[i] ?? null,
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The five services, each exporting its spans (batches every 100 ms) to a fresh receiver. */
async function startTraced(env: Readonly<Record<string, string>>): Promise<void> {
  await resetInfrastructure();
  receiver = await startOtlpReceiver();
  topology = await startTracedE2eTopology(receiver.endpoint, env);
  api = new Api(topology);
  session = await api.newSession();
}

/** Stops them (each must exit 0, having flushed its spans) and the receiver. */
async function stopTraced(): Promise<void> {
  const codes = await topology.stop();
  await receiver.close();
  await removeInfrastructure();
  assertCleanExits(codes);
}

describe('tracing', () => {
  before(async () => {
    await startTraced({ LOG_LEVEL: 'debug' });
    // Warm up: the first authenticated request fetches auth's JWKS, the first blocking checkout
    // opens the gRPC channels. Neither belongs to the traces measured below.
    assert.equal(
      (await api.request('orders', 'GET', '/orders', { token: session.accessToken })).status,
      200,
    );
    await checkouts('blocking', 1);
    placed.blocking = await checkouts('blocking', 3);
    placed.queued = await checkouts('queued', 3);
  });

  after(async () => {
    await fault('payment', '--clear').catch(() => undefined);
    await stopTraced();
  });

  it('shows a blocking checkout as one trace: POST /orders contains the gRPC calls and their server spans', () => {
    for (const { spans } of placed.blocking) assertBlockingShape(spans);
  });

  it('shows a queued checkout as one trace that goes on after the 202, producer → consumer, hop after hop', () => {
    for (const { spans } of placed.queued) assertQueuedShape(spans);
  });

  it("answers each checkout's trace in a traceresponse header: its POST /orders server span", () => {
    for (const { spans, traceResponse } of [...placed.blocking, ...placed.queued]) {
      const server = serverSpan(spans);
      assert.equal(traceResponse, `00-${server.traceId}-${server.spanId}-01`);
    }
  });

  it('tags every span of both checkouts with checkout.path and order.id', () => {
    for (const [mode, { spans, order }] of (['blocking', 'queued'] as const).flatMap((m) =>
      placed[m].map((c) => [m, c] as const),
    )) {
      const untagged = spans.filter(
        (s) => s.attributes['checkout.path'] !== mode || s.attributes['order.id'] !== order.id,
      );
      assert.deepEqual(
        untagged.map((s) => `${s.service} ${s.name}`),
        [],
        `${mode}: spans without the tags`,
      );
      assert.ok(spans.length >= 10, `${mode}: ${String(spans.length)} spans`);
    }
  });

  it('records no spans for health checks, readiness probes or gRPC health, and no background root spans', async () => {
    for (const service of REFERENCE_SERVICES) {
      assert.equal((await fetch(topology.url(service, '/healthz'))).status, 200);
      assert.equal((await fetch(topology.url(service, '/readyz'))).status, 200);
    }
    for (const service of ['user', 'inventory', 'payment']) {
      assert.equal(await grpcHealth(topology.grpcTarget(service)), 'SERVING');
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a fault refresh, an outbox poll, exports
    const spans = receiver.spans();
    const probes = spans.filter(
      (s) =>
        /^\/(healthz|readyz)/.test(String(s.attributes['url.path'] ?? '')) ||
        /health|reflection/i.test(String(s.attributes['rpc.service'] ?? '')) ||
        /^PING\b/i.test(String(s.attributes['db.query.text'] ?? s.name)),
    );
    assert.deepEqual(
      probes.map((s) => `${s.service} ${s.name}`),
      [],
    );
    const roots = spans.filter((s) => s.parentSpanId === '');
    const unexpected = roots.filter((s) => s.kind !== 'SERVER' && s.name !== 'Create Nest App');
    assert.deepEqual(
      unexpected.map((s) => `${s.service} ${s.kind} ${s.name}`),
      [],
      'root spans of background work',
    );
  });

  it('puts the trace and span ids on log lines written inside a span', () => {
    const { spans, order } = placed.queued[0] as Checkout;
    const consumer = one(
      spans,
      (s) => s.service === 'inventory' && s.kind === 'CONSUMER',
      'inventory consumer span',
    );
    const line = (topology.logs.get('inventory') ?? [])
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find(
        (entry) =>
          entry.msg === 'message handled' && entry.messageId === `order.placed:${order.id}`,
      );
    assert.ok(line, 'inventory logged the handled order.placed');
    assert.equal(line.trace_id, consumer.traceId);
    assert.equal(line.span_id, consumer.spanId);
  });

  it('with +300 ms on payment (npm run fault), makes the blocking POST ≥ 300 ms slower and not the queued one', async (t) => {
    const set = await fault('payment', '--latency', '300', '--error-rate', '0');
    assert.match(set, /every operation\s+latency 300 ms, error rate 0/);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // every replica re-reads within 1 s
    const slow = { blocking: await checkouts('blocking', 3), queued: await checkouts('queued', 3) };

    // Exact, per trace: the 300 ms sit on the blocking path. The Charge server span lasts ≥ 300 ms
    // inside the Charge client span inside POST /orders, which waited for all of it.
    for (const { spans } of slow.blocking) {
      assertBlockingShape(spans);
      const charge = one(spans, (s) => s.service === 'payment' && s.kind === 'SERVER', 'Charge');
      assert.equal(charge.attributes['fault.latency_ms'], 300);
      assert.equal(charge.attributes['fault.injected_error'], false);
      assert.ok(charge.durationMs >= 300, `Charge lasted ${charge.durationMs.toFixed(1)} ms`);
      assert.ok(serverSpan(spans).durationMs >= charge.durationMs);
    }
    // …and off the queued one: payment's consumer span takes the 300 ms, after the 202.
    for (const { spans } of slow.queued) {
      assertQueuedShape(spans);
      const consumer = one(
        spans,
        (s) => s.service === 'payment' && s.kind === 'CONSUMER',
        'payment consumer',
      );
      assert.equal(consumer.attributes['fault.latency_ms'], 300);
      assert.ok(consumer.durationMs >= 300);
      assert.ok(serverSpan(spans).endMs < consumer.startMs);
    }

    // Across requests (medians of three): the blocking POST is ≥ 300 ms slower, the queued is not.
    // The rest of a checkout varies from request to request (a few ms, tens under load on two
    // cores), and the true difference is 300 ms plus the timer's lateness: NOISE_MS allows that.
    const NOISE_MS = 20;
    const post = (samples: Checkout[]) =>
      median(samples.map((c) => serverSpan(c.spans).durationMs));
    const unfaulted = { blocking: post(placed.blocking), queued: post(placed.queued) };
    const faulted = { blocking: post(slow.blocking), queued: post(slow.queued) };
    const report = JSON.stringify({ unfaulted, faulted });
    t.diagnostic(`median POST /orders durations (ms): ${report}`);
    assert.ok(faulted.blocking - unfaulted.blocking >= 300 - NOISE_MS, `blocking POST: ${report}`);
    assert.ok(faulted.queued - unfaulted.queued < 100, `queued POST: ${report}`);

    // The log line written while injecting carries the blocking trace's ids.
    const charge = one(
      (slow.blocking[0] as Checkout).spans,
      (s) => s.service === 'payment' && s.kind === 'SERVER',
      'Charge',
    );
    const line = (topology.logs.get('payment') ?? [])
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === 'injecting fault' && entry.trace_id === charge.traceId);
    assert.equal(line?.span_id, charge.spanId);

    if (process.env.E2E_UPDATE_FIXTURES === '1') saveFixture();
  });
});

describe('tracing with span links (JUNCTION_MESSAGING_SPAN_LINKS=true)', () => {
  before(async () => {
    await startTraced({ JUNCTION_MESSAGING_SPAN_LINKS: 'true' });
    await api.request('orders', 'GET', '/orders', { token: session.accessToken }); // JWKS warm-up
  });

  after(stopTraced);

  it('starts a trace per hop: each consumer span is a root that links to its producer span', async () => {
    const [{ spans, order }] = (await checkouts('queued', 1)) as [Checkout];
    assertLinkedHops(spans);
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 4, 'POST /orders + one trace per hop');
    const untagged = spans.filter(
      (s) => s.attributes['checkout.path'] !== 'queued' || s.attributes['order.id'] !== order.id,
    );
    assert.deepEqual(
      untagged.map((s) => `${s.service} ${s.name}`),
      [],
      'the path survives the links',
    );
  });
});

/**
 * The two unfaulted checkout traces, as Jaeger's api/v3 returns them ({"result": TracesData}),
 * for the trace CLI's test. Resource attributes other than the service name are dropped (host
 * name, process command line): the fixture is committed.
 */
function saveFixture(): void {
  const data = receiver.data();
  const traces: Record<string, { result: TracesData }> = {};
  const orders: Record<string, string> = {};
  for (const mode of ['blocking', 'queued'] as const) {
    const { spans, order } = placed[mode][0] as Checkout;
    const traceId = (spans[0] as Span).traceId;
    const trace = onlyTrace(data, traceId);
    traces[traceId] = {
      result: {
        resourceSpans: (trace.resourceSpans ?? []).map((resourceSpans) => ({
          ...resourceSpans,
          resource: {
            attributes: (resourceSpans.resource?.attributes ?? []).filter(
              ({ key }) => key === 'service.name' || key.startsWith('telemetry.sdk.'),
            ),
          },
        })),
      },
    };
    orders[mode] = order.id;
    assert.ok(attributesOf(trace.resourceSpans?.[0]?.resource?.attributes)['service.name']);
  }
  writeFileSync(
    join(import.meta.dirname, 'fixtures', 'checkout-traces.json'),
    `${JSON.stringify({ orders, traces }, null, 2)}\n`,
  );
}
