// `npm start` as a person runs it (what it runs after the build: node tools/local/start.mts),
// on its fixed ports, against this run's own Redis database and vhost: its banner opens with the
// storefront's URL, which the gateway serves; it prints a Jaeger URL and a metrics URL, and after one blocking and one queued checkout through the gateway both
// are in that Jaeger's /api/v3 and counted at the collector's scrape endpoint. Ctrl-C (SIGINT)
// stops everything, Jaeger and the collector included. It needs the default ports (the
// gateway's, the collector's, Jaeger's query ports, every service's): when one is taken it is
// skipped, and under CI=true it fails naming them. Without a built Jaeger, npm start says how to
// build it and runs untraced; without a built collector, it says so and exports no metrics.
// Each service runs as its own Redis and RabbitMQ user (this run's, by their prefix; deleted
// after).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awaitTool } from '@junction/toolchain';
import { loadTopology } from '@junction/topology';
import { chartCollectorPorts, COLLECTOR_BUILD_COMMAND } from '../../tools/local/collector.mts';
import { chartJaegerPorts, JAEGER_BUILD_COMMAND } from '../../tools/local/jaeger.mts';
import { startLocalTelemetry } from '../../tools/local/telemetry.mts';
import { removeServiceAccess } from '../../tools/local/service-access.mts';
import { reachable, ROOT, SERVICES, webPortOf } from '../../tools/local/topology.mts';
import { type Span } from '../../tools/trace/otlp.mts';
import { Api, type Order } from './support/api.mts';
import {
  RABBITMQ_URL,
  REDIS_URL,
  removeInfrastructure,
  resetInfrastructure,
} from './support/environment.mts';
import { JaegerQuery } from './support/jaeger-query.mts';

/** Every port npm start listens on, by what listens there. */
function defaultPorts(): Record<string, number> {
  const { queryHttp, queryGrpc } = chartJaegerPorts();
  const ports: Record<string, number> = {
    gateway: loadTopology().gateway.port,
    'jaeger queryHttp': queryHttp,
    'jaeger queryGrpc': queryGrpc,
  };
  for (const [name, port] of Object.entries(chartCollectorPorts()) as [string, number][]) {
    ports[`collector ${name}`] = port;
  }
  for (const [name, { http, grpc }] of Object.entries(SERVICES)) {
    ports[`${name} http`] = http;
    if (grpc) ports[`${name} grpc`] = grpc;
  }
  for (const name of Object.keys(loadTopology().web)) ports[`${name} http`] = webPortOf(name);
  return ports;
}

/** Whether anything accepts TCP connections on the port (HTTP or gRPC alike). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.setTimeout(300, () => {
      done(false);
    });
  });
}

async function takenPorts(): Promise<string[]> {
  const taken: string[] = [];
  for (const [what, port] of Object.entries(defaultPorts())) {
    if (await listening(port)) {
      taken.push(`${String(port)} (${what})`);
    }
  }
  return taken;
}

/** This run's users of the services (npm start creates them; the test deletes them). */
const USER_PREFIX = `e2e-start-${randomBytes(4).toString('hex')}-`;

interface NpmStart {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function npmStart(): NpmStart {
  // The caller's OTEL_* would send the traces elsewhere (topology.mts forwards them).
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')),
    ),
    REDIS_URL,
    RABBITMQ_URL,
  };
  const child = spawn(
    process.execPath,
    [join(ROOT, 'tools', 'local', 'start.mts'), '--user-prefix', USER_PREFIX],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function waitForOutput(run: NpmStart, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null) assert.fail(`npm start exited:\n${run.output()}`);
    if (Date.now() > deadline)
      assert.fail(`no "${text}" after ${String(timeoutMs)} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm start', () => {
  let skip: string | undefined;
  let run: NpmStart | undefined;
  let jaegerUrl = '';
  let metricsUrl = '';
  let gatewayUrl = '';

  before(async () => {
    const taken = await takenPorts();
    if (taken.length > 0) {
      skip = `npm start's ports are in use: ${taken.join(', ')}`;
      if (process.env.CI === 'true') {
        assert.fail(`${skip}. Under CI=true this test must run: stop what holds them.`);
      }
      return;
    }
    // On a fresh machine npm test builds the tools beside the tests: npm start needs Jaeger and
    // the collector.
    await awaitTool('jaeger', { onWait: console.log });
    await awaitTool('otelcol', { onWait: console.log });
    await resetInfrastructure();
    run = npmStart();
    await waitForOutput(run, 'Press Ctrl-C to stop.', 180_000);
    jaegerUrl = /^ {2}(http:\/\/127\.0\.0\.1:\d+) {3}Jaeger/m.exec(run.output())?.[1] ?? '';
    metricsUrl =
      /^ {2}(http:\/\/127\.0\.0\.1:\d+\/metrics) {3}metrics/m.exec(run.output())?.[1] ?? '';
    gatewayUrl = /^ {2}(http:\/\/\S+) {3}the public routes/m.exec(run.output())?.[1] ?? '';
  });

  after(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGINT');
      await run.exited;
    }
    if (!skip) {
      await removeServiceAccess({ redisUrl: REDIS_URL, userPrefix: USER_PREFIX });
      await removeInfrastructure();
    }
  });

  it('opens its banner with the storefront, which the gateway serves under its prefix', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const output = run?.output() ?? '';
    const prefix = loadTopology().web.storefront?.prefix ?? '';
    const banner = output.slice(output.indexOf('Junction is up'));
    const urls = [...banner.matchAll(/^ {2}(http:\/\/\S+) {3}(.+)$/gm)];
    assert.deepEqual(
      urls.slice(0, 2).map((m) => [m[1], m[2]]),
      [
        [`${gatewayUrl}${prefix}`, 'the storefront'],
        [gatewayUrl, "the public routes (the gateway; the cluster's URL too)"],
      ],
      banner,
    );
    const page = await fetch(`${gatewayUrl}${prefix}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const config = (await (await fetch(`${gatewayUrl}${prefix}config.json`)).json()) as {
      tracing: boolean;
      traces: boolean;
      demoPanel: boolean;
    };
    // Its spans go where the services' go, its traces come from that Jaeger, and the lab's panel is on.
    assert.deepEqual(
      { tracing: config.tracing, traces: config.traces, demoPanel: config.demoPanel },
      { tracing: true, traces: true, demoPanel: true },
    );
  });

  it('prints the Jaeger URL, with its API and where the UI is', (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const output = run?.output() ?? '';
    assert.equal(jaegerUrl, `http://127.0.0.1:${String(chartJaegerPorts().queryHttp)}`, output);
    assert.ok(output.includes(`curl ${jaegerUrl}/api/v3/services`), output);
    assert.match(output, /UI's pages are only in the cluster's Jaeger image/);
  });

  it('puts a blocking and a queued checkout through the gateway into that Jaeger’s /api/v3', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const api = new Api({ url: (_service, path) => `${gatewayUrl}${path}` });
    const session = await api.newSession();
    const orders: Order[] = [];
    for (const mode of ['blocking', 'queued'] as const) {
      const reply = await api.placeOrder(session, { sku: 'JNC-MUG', mode });
      assert.equal(reply.status, mode === 'blocking' ? 201 : 202, JSON.stringify(reply.body));
      orders.push(await api.settled(session, reply.body.id));
    }
    const query = new JaegerQuery(jaegerUrl);
    const since = new Date(Date.now() - 600_000);
    const deadline = Date.now() + 20_000;
    let spans: Span[] = [];
    const found = (order: Order) =>
      spans.some(
        (s) =>
          s.service === 'orders' &&
          s.attributes['order.id'] === order.id &&
          s.attributes['checkout.path'] === order.mode &&
          s.kind === (order.mode === 'blocking' ? 'SERVER' : 'CONSUMER'),
      );
    while (!orders.every(found) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      spans = await query.search({
        service: 'orders',
        startTimeMin: since,
        startTimeMax: new Date(Date.now() + 60_000),
        depth: 100,
      });
    }
    for (const order of orders)
      assert.ok(found(order), `${order.mode} order ${order.id} in Jaeger`);
    // The queued trace, whole: each service exports on its own (every 5 s by default).
    const queued = orders.find((order) => order.mode === 'queued');
    const traceId = spans.find((s) => s.attributes['order.id'] === queued?.id)?.traceId ?? '';
    const consumers = async () =>
      [
        ...new Set(
          (await query.trace(traceId)).filter((s) => s.kind === 'CONSUMER').map((s) => s.service),
        ),
      ].sort();
    let seen = await consumers();
    while (seen.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      seen = await consumers();
    }
    assert.deepEqual(seen, ['inventory', 'orders', 'payment']);
  });

  it('counts both checkouts at the metrics URL it prints (the chart collector, scraped)', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    const output = run?.output() ?? '';
    assert.equal(
      metricsUrl,
      `http://127.0.0.1:${String(chartCollectorPorts().scrape)}/metrics`,
      output,
    );
    assert.ok(output.includes(`curl -s ${metricsUrl} | grep junction_orders`), output);
    // A series with these labels and a value above 0, in the Prometheus text format.
    const has = (text: string, name: string, labels: readonly string[]) =>
      text.split('\n').some(
        (line) =>
          line.startsWith(`${name}{`) &&
          labels.every((label) => line.includes(label)) &&
          Number(
            line
              .slice(line.lastIndexOf('}') + 1)
              .trim()
              .split(' ')[0],
          ) > 0,
      );
    const wanted: [string, string[]][] = [
      ['junction_orders_placed_total', ['checkout_path="blocking"']],
      ['junction_orders_placed_total', ['checkout_path="queued"']],
      ['junction_orders_completed_total', ['checkout_path="queued"', 'order_status="confirmed"']],
      ['http_server_request_duration_seconds_count', ['orders"', 'http_route="/orders"']],
      ['rpc_server_call_duration_seconds_count', ['inventory"', 'InventoryService/Reserve"']],
      ['messaging_process_duration_seconds_count', ['payment"', 'inventory.reserved"']],
    ];
    let text = '';
    const missing = () => wanted.filter(([name, labels]) => !has(text, name, labels));
    const deadline = Date.now() + 30_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const response = await fetch(metricsUrl);
      assert.equal(response.status, 200);
      text = await response.text();
    } while (missing().length > 0 && Date.now() < deadline);
    assert.deepEqual(
      missing(),
      [],
      text
        .split('\n')
        .filter((l) => /^(junction|http_server|rpc_server|messaging_process)/.test(l))
        .join('\n'),
    );
  });

  it('stops the storefront, Jaeger and the collector with everything else on Ctrl-C', async (t) => {
    if (skip || !run) {
      t.skip(skip);
      return;
    }
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0, run.output());
    assert.equal(
      await reachable(`http://127.0.0.1:${String(webPortOf('storefront'))}/readyz`),
      false,
      'the storefront is gone',
    );
    assert.equal(await reachable(jaegerUrl), false, 'Jaeger is gone');
    assert.equal(await reachable(metricsUrl), false, 'the collector is gone');
  });

  it('without a built Jaeger, says the one command that builds it and runs untraced', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'junction-no-tools-'));
    const saved = process.env.JUNCTION_TOOLS_CACHE;
    const otlp = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.JUNCTION_TOOLS_CACHE = empty;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    try {
      const telemetry = await startLocalTelemetry(['orders']);
      assert.deepEqual(telemetry.env, {});
      assert.equal(telemetry.jaeger, undefined);
      assert.equal(telemetry.collector, undefined);
      assert.match(telemetry.summary, /traces and metrics: off — Jaeger is not built/);
      assert.ok(telemetry.summary.includes(JAEGER_BUILD_COMMAND), telemetry.summary);
      assert.equal(JAEGER_BUILD_COMMAND, 'npm run tools:build -- jaeger');
      assert.equal(COLLECTOR_BUILD_COMMAND, 'npm run tools:build -- otelcol');
    } finally {
      if (saved === undefined) delete process.env.JUNCTION_TOOLS_CACHE;
      else process.env.JUNCTION_TOOLS_CACHE = saved;
      if (otlp !== undefined) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = otlp;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
