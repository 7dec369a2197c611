// `npm run trace`, against stand-ins for Jaeger's query API (api/v3, and the classic /api/traces
// search as a fallback) serving two real checkout traces captured by tracing.test.mts
// (fixtures/checkout-traces.json): the waterfall's order of hops, the blocking/queued marks,
// the queue waits, --json, and the errors a person can run into. Each stand-in reads the search
// parameters as one Jaeger release does (fixtures/jaeger-api-v3-search.json: 2.13, 2.19 with
// the camelCase names, and one without the older aliases); the 2.13 contract and the CLI are
// also run against the pinned Jaeger 2.13 itself, with the fixture's traces sent to it over OTLP.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freeJaegerPorts, type RunningJaeger, startJaeger } from '../../tools/local/jaeger.mts';
import { ROOT } from '../../tools/local/topology.mts';
import { type Span, spansOf, type TracesData } from '../../tools/trace/otlp.mts';

interface Fixture {
  readonly orders: { readonly blocking: string; readonly queued: string };
  readonly traces: Readonly<Record<string, { readonly result: TracesData }>>;
}

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'checkout-traces.json'), 'utf8'),
) as Fixture;
/** How one Jaeger release reads the api/v3 search (see the fixture's "about"). */
interface SearchContract {
  readonly service: readonly string[];
  readonly startTimeMin: readonly string[];
  readonly startTimeMax: readonly string[];
  readonly depth: readonly string[];
  readonly attributes: string | null;
  readonly missingTimes: string;
  readonly missingDepth: string | null;
}
const contracts = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'jaeger-api-v3-search.json'), 'utf8'),
  ) as { releases: Record<'2.13.0' | '2.19.0', SearchContract> }
).releases;
/** A later Jaeger that has dropped the older names: only the first (camelCase) of each. */
const camelCaseOnly: SearchContract = {
  ...contracts['2.19.0'],
  service: contracts['2.19.0'].service.slice(0, 1),
  startTimeMin: contracts['2.19.0'].startTimeMin.slice(0, 1),
  startTimeMax: contracts['2.19.0'].startTimeMax.slice(0, 1),
  depth: contracts['2.19.0'].depth.slice(0, 1),
};

/** The first of `names` present in the query, as a release reads it. */
function read(url: URL, names: readonly string[]): string | null {
  for (const name of names) {
    const value = url.searchParams.get(name);
    if (value) return value;
  }
  return null;
}

const spansByTrace = new Map(
  Object.entries(fixture.traces).map(([id, { result }]) => [id, spansOf(result)]),
);

function traceIdOf(orderId: string): string {
  for (const [id, spans] of spansByTrace) {
    if (spans.some((span) => span.attributes['order.id'] === orderId)) return id;
  }
  throw new Error(`no trace of order ${orderId} in the fixture`);
}
const queuedTraceId = traceIdOf(fixture.orders.queued);
const blockingTraceId = traceIdOf(fixture.orders.blocking);

/** The queue waits of the queued trace's consumer spans, in start order (from the fixture). */
function queueWaits(): number[] {
  return (spansByTrace.get(queuedTraceId) ?? [])
    .filter((span) => span.kind === 'CONSUMER')
    .sort((a, b) => a.startMs - b.startMs)
    .map((span) => span.attributes['messaging.rabbitmq.queue_wait_ms'] as number);
}

/**
 * Jaeger's query API as far as the CLI uses it, reading the search as `release` does. A release
 * that ignores query.attributes answers with the service's latest traces — none of them the
 * order's here (as when the depth cuts the order's off): the CLI must not take the first trace.
 */
function jaeger(release: SearchContract) {
  const requests: URL[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://jaeger');
    requests.push(url);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const notFound = () => {
      send(404, { error: { httpCode: 404, message: 'No traces found' } });
    };
    const byId = /^\/api\/v3\/traces\/([0-9a-f]{32})$/.exec(url.pathname);
    if (byId) {
      const trace = fixture.traces[byId[1] as string];
      if (trace) send(200, trace);
      else notFound();
      return;
    }
    const legacy = url.pathname === '/api/traces';
    if (!legacy && url.pathname !== '/api/v3/traces') {
      notFound();
      return;
    }
    if (!legacy && (!read(url, release.startTimeMin) || !read(url, release.startTimeMax))) {
      send(400, { error: { httpCode: 400, message: release.missingTimes } });
      return;
    }
    if (!legacy && release.missingDepth !== null && !read(url, release.depth)) {
      send(500, { error: { httpCode: 500, message: release.missingDepth } });
      return;
    }
    const service = legacy ? url.searchParams.get('service') : read(url, release.service);
    const filter = legacy ? 'tags' : release.attributes;
    const wanted = JSON.parse((filter && url.searchParams.get(filter)) ?? '{}') as Record<
      string,
      string
    >;
    const matches = (spans: Span[]) =>
      spans.some(
        (s) =>
          s.service === service && Object.entries(wanted).every(([k, v]) => s.attributes[k] === v),
      );
    const ignoring = !legacy && release.attributes === null;
    const matching = [...spansByTrace].filter(([, spans]) =>
      ignoring ? !matches(spans) && spans.some((s) => s.service === service) : matches(spans),
    );
    if (legacy) {
      send(200, { data: matching.map(([traceID]) => ({ traceID, spans: [] })) });
    } else if (matching.length > 0) {
      const resourceSpans = matching.flatMap(
        ([id]) => fixture.traces[id]?.result.resourceSpans ?? [],
      );
      send(200, { result: { resourceSpans } });
    } else {
      notFound();
    }
  });
  return { server, requests };
}

let standIn: ReturnType<typeof jaeger>;
let oldJaeger: ReturnType<typeof jaeger>;
let laterJaeger: ReturnType<typeof jaeger>;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function trace(...args: string[]): Promise<Run> {
  const cli = join(ROOT, 'tools', 'trace', 'trace.mts');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The span rows of a waterfall (between the column header and the blank line before hops). */
function rows(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('SERVICE'));
  const end = lines.findIndex((line, i) => i > start && line === '');
  return lines.slice(start + 1, end);
}

describe('npm run trace', () => {
  let url: string;
  let oldUrl: string;
  let laterUrl: string;

  before(async () => {
    standIn = jaeger(contracts['2.19.0']);
    oldJaeger = jaeger(contracts['2.13.0']);
    laterJaeger = jaeger(camelCaseOnly);
    url = await listen(standIn.server);
    oldUrl = await listen(oldJaeger.server);
    laterUrl = await listen(laterJaeger.server);
  });

  after(async () => {
    for (const server of [standIn.server, oldJaeger.server, laterJaeger.server]) {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('draws a queued checkout by trace id: hop after hop through the queue, with the waits', async () => {
    const { code, stdout, stderr } = await trace(queuedTraceId, '--jaeger', url);
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^trace ${queuedTraceId} .*checkout\\.path=queued`));
    const table = rows(stdout);
    assert.equal(table.length, spansByTrace.get(queuedTraceId)?.length);
    assert.match(table[0] ?? '', /^orders\s+POST \/orders\s+SERVER\s+\+0\.0 ms/);
    const hops = table.filter((line) => line.includes('▶'));
    assert.deepEqual(
      hops.map((line) => line.split(/\s+/).slice(0, 4).join(' ')),
      [
        'inventory ▶ process junction.events:order.placed',
        'payment ▶ process junction.events:inventory.reserved',
        'orders ▶ process junction.events:payment.captured',
      ],
    );
    const waits = queueWaits();
    hops.forEach((line, i) => {
      assert.match(line, /CONSUMER/);
      assert.ok(
        line.endsWith(`queued, waited ${(waits[i] ?? NaN).toFixed(1)} ms in queue`),
        `${line} shows a wait of ${String(waits[i])} ms`,
      );
    });
    assert.equal(
      lines.find((line) => line.startsWith('hops: ')),
      `hops: orders → inventory (queued, waited ${(waits[0] ?? NaN).toFixed(1)} ms in queue) → payment (queued, waited ${(waits[1] ?? NaN).toFixed(1)} ms in queue) → orders (queued, waited ${(waits[2] ?? NaN).toFixed(1)} ms in queue)`,
    );
    // Start order: every row starts no earlier than its parent row.
    const offsets = table.map((line) => Number(/\+([\d.]+) ms/.exec(line)?.[1]));
    assert.ok(offsets.every((offset) => offset >= 0));
  });

  it('finds a blocking checkout by order id and marks its gRPC hops blocking', async () => {
    const { code, stdout, stderr } = await trace(fixture.orders.blocking, '--jaeger', url);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^trace ${blockingTraceId} .*checkout\\.path=blocking`));
    assert.match(stdout, new RegExp(`order\\.id=${fixture.orders.blocking}`));
    const hops = rows(stdout).filter((line) => line.includes('▶'));
    assert.deepEqual(
      hops.map((line) => [line.split(/\s+/)[0], / SERVER /.test(line), line.endsWith('blocking')]),
      [
        ['inventory', true, true],
        ['payment', true, true],
      ],
    );
    assert.match(stdout, /\nhops: orders → inventory \(blocking\) → payment \(blocking\)\n/);
    assert.doesNotMatch(stdout, /queued/);
    const search = standIn.requests.find((request) => request.pathname === '/api/v3/traces');
    assert.ok(search, 'searched api/v3');
    // Both spellings: Jaeger 2.19's camelCase and the names releases before it read.
    for (const release of [contracts['2.19.0'], contracts['2.13.0']]) {
      assert.equal(read(search, release.service), 'orders');
      for (const bound of [release.startTimeMin, release.startTimeMax]) {
        assert.ok(!Number.isNaN(Date.parse(read(search, bound) ?? '')), bound.join());
      }
      assert.equal(read(search, release.depth), '20');
    }
    assert.deepEqual(JSON.parse(search.searchParams.get('query.attributes') ?? ''), {
      'order.id': fixture.orders.blocking,
    });
    assert.ok(
      !standIn.requests.some((request) => request.pathname === '/api/traces'),
      'no fallback where api/v3 reads query.attributes',
    );
  });

  it('finds an order on a Jaeger that reads only the camelCase names', async () => {
    const { code, stdout, stderr } = await trace(fixture.orders.queued, '--jaeger', laterUrl);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^trace ${queuedTraceId} .*checkout\\.path=queued`));
    assert.ok(!laterJaeger.requests.some((request) => request.pathname === '/api/traces'));
  });

  it('prints JSON for machines with --json', async () => {
    const { code, stdout } = await trace(fixture.orders.queued, '--jaeger', url, '--json');
    assert.equal(code, 0);
    const { traces } = JSON.parse(stdout) as {
      traces: {
        traceId: string;
        checkoutPath: string;
        orderId: string;
        hops: { from: string; to: string; mode: string; queueWaitMs: number | null }[];
        spans: {
          depth: number;
          service: string;
          name: string;
          kind: string;
          startOffsetMs: number;
        }[];
      }[];
    };
    assert.equal(traces.length, 1);
    const [view] = traces;
    assert.equal(view?.traceId, queuedTraceId);
    assert.equal(view.checkoutPath, 'queued');
    assert.equal(view.orderId, fixture.orders.queued);
    const waits = queueWaits();
    assert.deepEqual(
      view.hops.map(({ from, to, mode, queueWaitMs }) => ({ from, to, mode, queueWaitMs })),
      [
        { from: 'orders', to: 'inventory', mode: 'queued', queueWaitMs: waits[0] },
        { from: 'inventory', to: 'payment', mode: 'queued', queueWaitMs: waits[1] },
        { from: 'payment', to: 'orders', mode: 'queued', queueWaitMs: waits[2] },
      ],
    );
    assert.equal(view.spans.length, spansByTrace.get(queuedTraceId)?.length);
    assert.deepEqual(view.spans[0], {
      ...view.spans[0],
      depth: 0,
      service: 'orders',
      name: 'POST /orders',
      kind: 'SERVER',
      startOffsetMs: 0,
    });
  });

  it('falls back to the classic tag search on a Jaeger that ignores query.attributes (2.13)', async () => {
    const { code, stdout, stderr } = await trace(fixture.orders.queued, '--jaeger', oldUrl);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^trace ${queuedTraceId} `));
    assert.equal(stdout.match(/^trace /gm)?.length, 1, 'only the order’s trace');
    assert.ok(oldJaeger.requests.some((request) => request.pathname === '/api/traces'));
  });

  it('says what is wrong: unknown trace, unreachable Jaeger, bad arguments; --help', async () => {
    const missing = await trace('0123456789abcdef0123456789abcdef', '--jaeger', url);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no trace 0123456789abcdef0123456789abcdef in Jaeger/);
    const down = await trace(queuedTraceId, '--jaeger', 'http://127.0.0.1:1');
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach Jaeger at http:\/\/127\.0\.0\.1:1/);
    const bad = await trace('not an id!', '--jaeger', url);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an order id or a trace id/);
    const help = await trace('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: npm run trace -- <orderId\|traceId>/);
  });
});

/** The fixture's traces moved in time so that they ended a second ago, as OTLP/JSON. */
function recentTraces(): TracesData {
  const spans = [...Object.values(fixture.traces)].flatMap(
    ({ result }) =>
      result.resourceSpans?.flatMap((r) => r.scopeSpans?.flatMap((s) => s.spans ?? []) ?? []) ?? [],
  );
  const lastEnd = spans.reduce((max, span) => {
    const end = BigInt(span.endTimeUnixNano);
    return end > max ? end : max;
  }, 0n);
  const shift = BigInt(Date.now() - 1_000) * 1_000_000n - lastEnd;
  const moved = (nanos: string | number) => String(BigInt(nanos) + shift);
  return {
    resourceSpans: Object.values(fixture.traces).flatMap(({ result }) =>
      (result.resourceSpans ?? []).map((resourceSpans) => ({
        ...resourceSpans,
        scopeSpans: (resourceSpans.scopeSpans ?? []).map((scope) => ({
          ...scope,
          spans: (scope.spans ?? []).map((span) => ({
            ...span,
            startTimeUnixNano: moved(span.startTimeUnixNano),
            endTimeUnixNano: moved(span.endTimeUnixNano),
            events: (span.events ?? []).map((event) => ({
              ...event,
              timeUnixNano: moved(event.timeUnixNano),
            })),
          })),
        })),
      })),
    ),
  };
}

describe('npm run trace against the pinned Jaeger 2.13 (the chart’s release)', () => {
  let live: RunningJaeger;
  const search = (query: Record<string, string>) =>
    fetch(`${live.queryUrl}/api/v3/traces?${new URLSearchParams(query).toString()}`);
  const window = (names: SearchContract) => ({
    [names.startTimeMin[0] ?? '']: new Date(Date.now() - 3_600_000).toISOString(),
    [names.startTimeMax[0] ?? '']: new Date(Date.now() + 60_000).toISOString(),
  });
  const traceIds = async (response: Response) =>
    new Set(
      spansOf(((await response.json()) as { result: TracesData }).result).map((s) => s.traceId),
    );

  before(async () => {
    live = await startJaeger({ ports: await freeJaegerPorts() });
    const posted = await fetch(`${live.otlpEndpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(recentTraces()),
    });
    assert.equal(posted.status, 200, await posted.text());
    for (const id of [queuedTraceId, blockingTraceId]) {
      const until = Date.now() + 10_000;
      while ((await fetch(`${live.queryUrl}/api/v3/traces/${id}`)).status !== 200) {
        assert.ok(Date.now() < until, `trace ${id} stored`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });

  after(async () => {
    await live.stop();
  });

  it('reads the search as the recorded 2.13 contract says', async () => {
    const old = contracts['2.13.0'];
    const orders = { [old.service[0] ?? '']: 'orders' };
    const missing = await search(orders);
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), new RegExp(old.missingTimes));
    // The camelCase names are not read: still no time window.
    const camel = await search({
      'query.serviceName': 'orders',
      'query.searchDepth': '20',
      ...window(contracts['2.19.0']),
    });
    assert.equal(camel.status, 400);
    const noDepth = await search({ ...orders, ...window(old) });
    assert.equal(noDepth.status, 500);
    assert.match(await noDepth.text(), new RegExp(old.missingDepth ?? 'a depth is needed'));
    const both = await search({ ...orders, ...window(old), [old.depth[0] ?? '']: '20' });
    assert.equal(both.status, 200);
    assert.deepEqual(await traceIds(both), new Set([queuedTraceId, blockingTraceId]));
    const one = await search({ ...orders, ...window(old), [old.depth[0] ?? '']: '1' });
    assert.equal((await traceIds(one)).size, 1, `${String(old.depth)} is the depth`);
    const attributes = await search({
      ...orders,
      ...window(old),
      [old.depth[0] ?? '']: '20',
      'query.attributes': JSON.stringify({ 'order.id': fixture.orders.blocking }),
    });
    assert.equal((await traceIds(attributes)).size, 2, 'query.attributes is ignored');
  });

  it('finds both checkouts by order id and by trace id', async () => {
    for (const [orderId, traceId, path] of [
      [fixture.orders.queued, queuedTraceId, 'queued'],
      [fixture.orders.blocking, blockingTraceId, 'blocking'],
    ] as const) {
      const byOrder = await trace(orderId, '--jaeger', live.queryUrl);
      assert.equal(byOrder.code, 0, byOrder.stderr);
      assert.match(byOrder.stdout, new RegExp(`^trace ${traceId} .*checkout\\.path=${path}`));
      assert.equal(byOrder.stdout.match(/^trace /gm)?.length, 1, 'only the order’s trace');
      const byId = await trace(traceId, '--jaeger', live.queryUrl, '--json');
      assert.equal(byId.code, 0, byId.stderr);
      const { traces } = JSON.parse(byId.stdout) as { traces: { orderId: string }[] };
      assert.equal(traces[0]?.orderId, orderId);
    }
  });
});
