// Traces in a real Jaeger, through a real collector, as in the cluster: the five services export
// OTLP/HTTP (protobuf, as the chart sets it) to the pinned otelcol running the chart's
// files/otel-collector.yaml, which exports to the pinned Jaeger v2 running the chart's
// files/jaeger.yaml (tools/local/collector.mts, jaeger.mts; ports moved off the defaults). The
// test then asks Jaeger the way docs/tracing.md tells a person to — the services, an api/v3
// search by service, the search by checkout.path and by order.id, a trace by id — and checks
// the two shapes on what Jaeger answers; then the span-links switch; then `npm run trace`.
//
// That the chart mounts these two files byte for byte is tools/k8s's check
// (jaeger-config.test.mts, collector.test.mts); this test holds that it ran those very files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { awaitTool, tool } from '@junction/toolchain';
import {
  COLLECTOR_CONFIG,
  collectorEnv,
  freeCollectorPorts,
  type RunningCollector,
  startCollector,
} from '../../tools/local/collector.mts';
import {
  freeJaegerPorts,
  JAEGER_CONFIG,
  jaegerEnv,
  type RunningJaeger,
  startJaeger,
} from '../../tools/local/jaeger.mts';
import { ROOT } from '../../tools/local/topology.mts';
import { type Span } from '../../tools/trace/otlp.mts';
import { Api, type Order, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { JaegerQuery } from './support/jaeger-query.mts';
import {
  assertBlockingShape,
  assertQueuedShape,
  assertLinkedHops,
  QUEUE_WAIT,
  serverSpan,
} from './support/trace-shapes.mts';
import { type E2eTopology, REFERENCE_SERVICES, startE2eTopology } from './support/topology.mts';

const SERVICES = REFERENCE_SERVICES;
type Mode = 'blocking' | 'queued';

/** Jaeger ≥ 2.19 reads query.attributes in api/v3 searches; the chart's release may not. */
const JAEGER_VERSION = tool('jaeger').version;
const READS_ATTRIBUTES = (() => {
  const [major = 0, minor = 0] = JAEGER_VERSION.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 19);
})();

let jaeger: RunningJaeger;
let collector: RunningCollector;
let query: JaegerQuery;
let topology: E2eTopology | undefined;
let api: Api;
let session: Session;
const since = new Date();

/** The ${env:NAME}s a collector-style config reads (comments left out). */
function envReferences(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(/(^|\s)#.*$/gm, '$1');
  return [...new Set([...code.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))]
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The five services, exporting to the collector as the chart configures them. */
async function startServices(env: Readonly<Record<string, string>> = {}): Promise<void> {
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...env,
  };
  const lines: string[] = [];
  topology = await startE2eTopology({
    env: Object.fromEntries(SERVICES.map((service) => [service, otel])),
    onLine: (service, line) => lines.push(`${service.padEnd(9)} | ${line}`),
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- the services' last lines ---\n${lines.slice(-40).join('\n')}`);
  });
  api = new Api(topology);
  session = await api.newSession();
  // The JWKS fetch and the gRPC channels open on first use: not part of the checkouts below.
  await api.request('orders', 'GET', '/orders', { token: session.accessToken });
}

async function stopServices(): Promise<void> {
  const codes = await topology?.stop();
  topology = undefined;
  assert.ok(
    Object.values(codes ?? {}).every((code) => code === 0),
    JSON.stringify(codes),
  );
}

async function placeSettled(mode: Mode): Promise<Order> {
  const reply = await api.placeOrder(session, { sku: 'JNC-MUG', mode });
  assert.equal(reply.status, mode === 'blocking' ? 201 : 202, JSON.stringify(reply.body));
  const order = await api.settled(session, reply.body.id);
  assert.equal(order.status, 'confirmed');
  return order;
}

/**
 * The order's traces as Jaeger has them, once they are complete: the last span of the checkout
 * is stored, and a second look a collector batch later finds no more spans.
 */
async function storedTraces(
  orderId: string,
  done: (spans: Span[]) => boolean,
  services: readonly string[] = ['orders'],
): Promise<Span[]> {
  const deadline = Date.now() + 20_000;
  let spans: Span[] = [];
  while (Date.now() < deadline) {
    spans = await query.tracesOfOrder(orderId, since, services);
    if (done(spans)) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const again = await query.tracesOfOrder(orderId, since, services);
      if (again.length === spans.length) return again;
      spans = again;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  assert.fail(
    `order ${orderId}: ${String(spans.length)} spans in Jaeger after 20 s, not complete\n` +
      `--- collector ---\n${collector.output()}\n--- jaeger ---\n${jaeger.output()}`,
  );
}

const lastSpanOf = (mode: Mode) => (spans: Span[]) =>
  spans.some(
    (s) => s.service === 'orders' && s.kind === (mode === 'blocking' ? 'SERVER' : 'CONSUMER'),
  );

const placed: Record<Mode, { order: Order; spans: Span[] }[]> = { blocking: [], queued: [] };

describe('traces in Jaeger (services → collector → Jaeger, the chart’s configs)', () => {
  before(async () => {
    // On a fresh machine npm test builds the tools beside the tests: wait for these two.
    for (const name of ['jaeger', 'otelcol'] as const)
      await awaitTool(name, { onWait: console.log });
    await resetInfrastructure();
    jaeger = await startJaeger({ ports: await freeJaegerPorts() });
    collector = await startCollector({
      jaegerOtlpGrpc: jaeger.otlpGrpcEndpoint,
      ports: await freeCollectorPorts(),
    });
    query = new JaegerQuery(jaeger.queryUrl);
    await startServices();
    await placeSettled('blocking'); // warm-up
    for (const mode of ['blocking', 'queued', 'blocking', 'queued'] as const) {
      const order = await placeSettled(mode);
      placed[mode].push({ order, spans: await storedTraces(order.id, lastSpanOf(mode)) });
    }
  });

  after(async () => {
    await stopServices().catch(() => undefined);
    await collector.stop();
    await jaeger.stop();
    await removeInfrastructure();
  });

  it('runs the chart’s own config files, every ${env:VAR} of them set', () => {
    assert.equal(jaeger.config, join(ROOT, 'charts', 'junction-infra', 'files', 'jaeger.yaml'));
    assert.equal(JAEGER_CONFIG, jaeger.config);
    assert.equal(
      collector.config,
      join(ROOT, 'charts', 'junction-infra', 'files', 'otel-collector.yaml'),
    );
    assert.equal(COLLECTOR_CONFIG, collector.config);
    assert.deepEqual(envReferences(jaeger.config), Object.keys(jaegerEnv(jaeger.ports)).sort());
    assert.deepEqual(
      envReferences(collector.config),
      Object.keys(collectorEnv(collector.ports, jaeger.otlpGrpcEndpoint)).sort(),
    );
  });

  it('lists the five services (GET /api/v3/services)', async () => {
    const services = await query.services();
    for (const service of SERVICES) assert.ok(services.includes(service), services.join(', '));
  });

  it('finds every checkout in an api/v3 search by service (both spellings of the parameters)', async () => {
    const spans = await query.search({
      service: 'orders',
      startTimeMin: since,
      startTimeMax: new Date(Date.now() + 60_000),
      depth: 100,
    });
    const found = new Set(spans.map((s) => s.traceId));
    for (const { order, spans: trace } of [...placed.blocking, ...placed.queued]) {
      assert.ok(found.has((trace[0] as Span).traceId), `order ${order.id}'s trace`);
    }
  });

  it('shows a blocking checkout, found by order.id, as one trace whose POST /orders covers the gRPC calls', () => {
    for (const { order, spans } of placed.blocking) {
      assertBlockingShape(spans);
      assertTagged(spans, 'blocking', order.id);
    }
  });

  it('shows a queued checkout, found by order.id, going on after the 202, PRODUCER → CONSUMER with the queue waits', () => {
    for (const { order, spans } of placed.queued) {
      assertQueuedShape(spans);
      assertTagged(spans, 'queued', order.id);
      const consumers = spans.filter((s) => s.kind === 'CONSUMER');
      assert.equal(consumers.length, 3);
      assert.ok(consumers.every((s) => typeof s.attributes[QUEUE_WAIT] === 'number'));
      assert.ok(serverSpan(spans).endMs < Math.min(...consumers.map((s) => s.startMs)));
    }
  });

  it('finds exactly the checkouts of one path by the checkout.path attribute', async () => {
    for (const mode of ['blocking', 'queued'] as const) {
      const ids = new Set(
        await query.uiSearch({
          service: 'orders',
          attributes: { 'checkout.path': mode },
          startTimeMin: since,
          startTimeMax: new Date(Date.now() + 60_000),
          depth: 100,
        }),
      );
      const other = mode === 'blocking' ? 'queued' : 'blocking';
      for (const { spans } of placed[mode]) assert.ok(ids.has((spans[0] as Span).traceId));
      for (const { spans } of placed[other]) assert.ok(!ids.has((spans[0] as Span).traceId));
    }
  });

  it(`reads query.attributes in api/v3 searches only from Jaeger 2.19 on (this is ${JAEGER_VERSION})`, async () => {
    const spans = await query.search({
      service: 'orders',
      attributes: { 'checkout.path': 'blocking' },
      startTimeMin: since,
      startTimeMax: new Date(Date.now() + 60_000),
      depth: 100,
    });
    const queuedFound = placed.queued.some(({ spans: trace }) =>
      spans.some((s) => s.traceId === (trace[0] as Span).traceId),
    );
    // If this fails after an upgrade, docs/tracing.md can drop the UI search for attributes.
    assert.equal(
      !queuedFound,
      READS_ATTRIBUTES,
      'queued traces in a checkout.path=blocking search',
    );
  });

  it('draws both checkouts with npm run trace, by order id and by trace id', async () => {
    for (const mode of ['blocking', 'queued'] as const) {
      const { order, spans } = placed[mode][0] ?? assert.fail('no checkout');
      const byOrder = await traceCli(order.id, '--jaeger', jaeger.queryUrl, '--json');
      const { traces } = JSON.parse(byOrder) as {
        traces: { traceId: string; checkoutPath: string; hops: { from: string; mode: string }[] }[];
      };
      assert.equal(traces.length, 1);
      assert.equal(traces[0]?.traceId, (spans[0] as Span).traceId);
      assert.equal(traces[0].checkoutPath, mode);
      assert.deepEqual(
        traces[0].hops.map((hop) => `${hop.from} ${hop.mode}`),
        mode === 'blocking'
          ? ['orders blocking', 'orders blocking']
          : ['orders queued', 'inventory queued', 'payment queued'],
      );
      const byId = await traceCli((spans[0] as Span).traceId, '--jaeger', jaeger.queryUrl);
      assert.match(
        byId,
        new RegExp(`^trace ${(spans[0] as Span).traceId} .*checkout\\.path=${mode}`),
      );
    }
  });

  describe('with span links (JUNCTION_MESSAGING_SPAN_LINKS=true)', () => {
    before(async () => {
      await stopServices();
      await startServices({ JUNCTION_MESSAGING_SPAN_LINKS: 'true' });
    });

    it('shows a queued checkout as four traces, each consumer span a root linking to its producer', async () => {
      const order = await placeSettled('queued');
      const spans = await storedTraces(
        order.id,
        (found) => new Set(found.map((s) => s.traceId)).size === 4 && lastSpanOf('queued')(found),
        SERVICES,
      );
      assert.equal(new Set(spans.map((s) => s.traceId)).size, 4, 'POST /orders + one per hop');
      assertLinkedHops(spans);
      assertTagged(spans, 'queued', order.id);
    });
  });
});

function assertTagged(spans: Span[], mode: Mode, orderId: string): void {
  const untagged = spans.filter(
    (s) => s.attributes['checkout.path'] !== mode || s.attributes['order.id'] !== orderId,
  );
  assert.deepEqual(
    untagged.map((s) => `${s.service} ${s.name}`),
    [],
    `${mode}: spans without the tags`,
  );
}

const execFileAsync = promisify(execFile);
async function traceCli(...args: string[]): Promise<string> {
  const cli = join(ROOT, 'tools', 'trace', 'trace.mts');
  const { stdout } = await execFileAsync(process.execPath, [cli, ...args]);
  return stdout;
}
