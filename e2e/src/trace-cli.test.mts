// `npm run trace`, against a stand-in for Jaeger's query API (api/v3, and the classic
// /api/traces search as a fallback) serving two real checkout traces captured by
// tracing.test.mts (fixtures/checkout-traces.json): the waterfall's order of hops, the
// blocking/queued marks, the queue waits, --json, and the errors a person can run into.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../tools/local/topology.mts';
import { type Span, spansOf, type TracesData } from '../../tools/trace/otlp.mts';

interface Fixture {
  readonly orders: { readonly blocking: string; readonly queued: string };
  readonly traces: Readonly<Record<string, { readonly result: TracesData }>>;
}

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'checkout-traces.json'), 'utf8'),
) as Fixture;
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
 * Jaeger's query API as far as the CLI uses it. `ignoresAttributes` plays a Jaeger release
 * whose api/v3 search ignores query.attributes (the CLI must not take the first trace then).
 */
function jaeger(options: { ignoresAttributes: boolean }) {
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
    const service = url.searchParams.get('query.service_name') ?? url.searchParams.get('service');
    const wanted = JSON.parse(
      url.searchParams.get('query.attributes') ?? url.searchParams.get('tags') ?? '{}',
    ) as Record<string, string>;
    const legacy = url.pathname === '/api/traces';
    const matches = (spans: Span[]) =>
      spans.some(
        (s) =>
          s.service === service && Object.entries(wanted).every(([k, v]) => s.attributes[k] === v),
      );
    // An old Jaeger answers with the service's latest traces, none of them the order's here.
    const ignoring = options.ignoresAttributes && !legacy;
    const matching = [...spansByTrace].filter(([, spans]) =>
      ignoring ? !matches(spans) && spans.some((s) => s.service === service) : matches(spans),
    );
    if (legacy) {
      send(200, { data: matching.map(([traceID]) => ({ traceID, spans: [] })) });
    } else if (url.pathname === '/api/v3/traces' && matching.length > 0) {
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

  before(async () => {
    standIn = jaeger({ ignoresAttributes: false });
    oldJaeger = jaeger({ ignoresAttributes: true });
    url = await listen(standIn.server);
    oldUrl = await listen(oldJaeger.server);
  });

  after(async () => {
    for (const server of [standIn.server, oldJaeger.server]) {
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
    assert.equal(search.searchParams.get('query.service_name'), 'orders');
    assert.deepEqual(JSON.parse(search.searchParams.get('query.attributes') ?? ''), {
      'order.id': fixture.orders.blocking,
    });
    for (const bound of ['query.start_time_min', 'query.start_time_max']) {
      assert.ok(!Number.isNaN(Date.parse(search.searchParams.get(bound) ?? '')), bound);
    }
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

  it('falls back to the classic tag search on a Jaeger that ignores query.attributes', async () => {
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
