// Junction as a template (issue #7), end to end. In a COPY of this workspace (its files as they
// are now, dependencies shared, workspace packages linked into the copy) the service generator
// adds `shipping --rest --grpc --consumes payment.captured --publishes shipment.created`; then the
// copy builds, lints, type-checks and tests it, writes and checks its OpenAPI document
// (docs/openapi/shipping.json, from its route contracts), runs its own e2e spec, starts all six
// services and follows a queued order into shipping (its consumer span in the checkout's trace;
// its GET /openapi.json), renders the charts and runs the same Kubernetes checks as for the five
// originals (once the pinned tools a fresh machine builds in the background are there), and finally
// remove-service leaves the copy exactly as it was. The generator adds ONE entry to the copy's
// topology.yaml and regenerates what derives from it (values, schema, skaffold, contracts table,
// README's ports table); `npm run topology:generate -- --check` holds the copy to it. shipping
// has the anatomy of every service (domain/ with its ports, adapters/in, adapters/out) and passes
// the same lint, the rule that keeps a domain pure included. Ports +600, Redis db 13, vhost
// junction-generator unless E2E_PORT_OFFSET, E2E_REDIS_URL, E2E_VHOST say otherwise; all removed
// afterwards.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awaitTool, TOOLS } from '@junction/toolchain';

/**
 * How long the Kubernetes checks may take, waiting included: on a fresh machine the pinned tools
 * are still being built (npm run e2e runs this file last for that reason).
 */
const TOOLS_WAIT_MS = 60 * 60_000;
import { ROOT } from '../../tools/local/topology.mts';
import type * as TopologyModule from '../../tools/local/topology.mts';
import type * as TopologyDeclaration from '../../tools/topology/topology.mts';
import { type Span } from '../../tools/trace/otlp.mts';
import { Api } from './support/api.mts';
import { consumerCount } from './support/broker.mts';
import {
  type Infrastructure,
  removeInfrastructureAt,
  resetInfrastructureAt,
} from './support/environment.mts';
import { sourceDifferences, tail, webAppParts, WorkspaceCopy } from './support/generator-copy.mts';
import { grpcCall } from './support/grpc-call.mts';
import { startOtlpReceiver } from './support/otlp-receiver.mts';

const NAME = 'shipping';
const GENERATE = [
  'g',
  '@junction/tools:service',
  NAME,
  '--rest',
  '--grpc',
  '--consumes',
  'payment.captured',
  '--publishes',
  'shipment.created',
  '--no-interactive',
];
const OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 600);
const PLACE: Infrastructure = {
  redisUrl: process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/13',
  vhost: process.env.E2E_VHOST ?? 'junction-generator',
};
const RABBITMQ_URL = `amqp://guest:guest@127.0.0.1:5672/${PLACE.vhost}`;
/** Built output the copy reuses: the generator changes nothing that compiles into these. */
const PREBUILT = [
  'libs/platform',
  'libs/messaging',
  'auth',
  'user',
  'orders',
  'payment',
  'inventory',
].map((p) => (p.includes('/') ? p : `services/${p}`));

interface KubeObject {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}

let copy: WorkspaceCopy;
let original: Map<string, string>;
let originalWeb: Record<string, string>;

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the service generator, in a copy of the workspace', () => {
  before(() => {
    copy = WorkspaceCopy.create(ROOT, PREBUILT);
    original = copy.sources();
    originalWeb = webAppParts(copy);
  });

  after(async () => {
    await removeInfrastructureAt(PLACE);
    rmSync(copy.root, { recursive: true, force: true });
  });

  it('generates shipping: --dry-run lists the files and writes none, a second run refuses', () => {
    const dry = copy.nx(...GENERATE, '--dry-run');
    assert.equal(dry.status, 0, dry.output);
    for (const line of [
      'CREATE services/shipping/src/main.ts',
      'CREATE services/shipping/src/app.module.ts',
      'CREATE services/shipping/src/domain/ports.ts',
      'CREATE services/shipping/src/domain/shipping.service.ts',
      'CREATE services/shipping/src/adapters/in/http/shipping.controller.ts',
      'CREATE services/shipping/src/adapters/in/http/shipping.routes.ts',
      'CREATE services/shipping/src/adapters/in/grpc/shipping.grpc-controller.ts',
      'CREATE services/shipping/src/adapters/in/amqp/payment-captured.consumer.ts',
      'CREATE services/shipping/src/adapters/out/redis/shipping.repository.ts',
      'CREATE services/shipping/src/adapters/out/amqp/shipping-events.publisher.ts',
      'CREATE proto/junction/shipping/v1/shipping.proto',
      'UPDATE topology.yaml',
      'UPDATE charts/junction/values.yaml',
      'UPDATE charts/junction/values.schema.json',
      'UPDATE skaffold.yaml',
      'UPDATE libs/contracts/src/topology.ts',
      'UPDATE charts/junction-infra/files/rabbitmq-topology.json',
      'UPDATE charts/junction-infra/files/service-access.json',
      'UPDATE README.md',
    ])
      assert.ok(dry.output.includes(line), `dry run does not list ${line}`);
    assert.equal(existsSync(copy.path('services', NAME)), false, 'the dry run wrote files');
    const generated = copy.nx(...GENERATE);
    assert.equal(generated.status, 0, generated.output);
    assert.equal(
      realpathSync(copy.path('node_modules', '@junction', NAME)),
      realpathSync(copy.path('services', NAME)),
    );
    const again = copy.nx(...GENERATE);
    assert.notEqual(again.status, 0);
    assert.match(again.output, /service "shipping" already exists/);
  });

  it('declares shipping once, in topology.yaml, and the generated files match it', async () => {
    const { parseTopology } = (await copy.import(
      'tools/topology/topology.mts',
    )) as typeof TopologyDeclaration;
    const before = parseTopology(readFileSync(join(ROOT, 'topology.yaml'), 'utf8'));
    const after = parseTopology(readFileSync(copy.path('topology.yaml'), 'utf8'));
    const others = Object.values(before.services);
    const shipping = after.services[NAME];
    // The services' and the web apps' HTTP ports share one range: shipping's follows both.
    const httpPorts = [...others, ...Object.values(before.web)].map((s) => s.http);
    assert.deepEqual(shipping, {
      name: NAME,
      http: Math.max(...httpPorts) + 1,
      grpc: {
        port: Math.max(...others.map((s) => s.grpc?.port ?? 0)) + 1,
        service: 'junction.shipping.v1.ShippingService',
        methods: {
          GetReceivedEvent: { idempotent: true },
          ListReceivedEvents: { idempotent: true },
        },
      },
      redis: true,
      rabbitmq: true,
      tokens: 'verify',
      faults: false,
      routes: [
        { method: 'GET', path: `/${NAME}/events`, stream: false },
        { method: 'GET', path: `/${NAME}/events/{messageId}`, stream: false },
      ],
      publishes: ['shipment.created'],
      consumes: ['payment.captured'],
      serves: [],
    });
    assert.deepEqual(
      after.calls.filter((call) => call.from !== NAME),
      before.calls,
      'no call to shipping until one is declared',
    );
    assert.deepEqual(after.web, before.web);
    assert.deepEqual(webAppParts(copy), originalWeb, 'web/ and the web: section as they were');
    assert.deepEqual(
      after.calls
        .filter((call) => call.from === NAME)
        .map((call) => [call.to, call.http.map((r) => r.path)]),
      [['auth', ['/.well-known/jwks.json']]],
      'its one call: the JWKS of the token signer, to verify access tokens',
    );
    const check = copy.run('npm', ['run', 'topology:generate', '--', '--check']);
    assert.equal(check.status, 0, check.output);
    assert.match(check.output, /generated files match topology\.yaml/);
  });

  it('builds, lints, type-checks and tests shipping, its e2e spec and the contracts it extends', () => {
    const result = copy.nx(
      'run-many',
      '-t',
      'build',
      'lint',
      'typecheck',
      'test',
      '-p',
      '@junction/contracts',
      `@junction/${NAME}`,
      '--exclude-task-dependencies',
      '--skip-nx-cache',
      '--output-style=static',
    );
    assert.equal(result.status, 0, tail(result.output));
    assert.match(
      result.output,
      /Successfully ran targets build, lint, typecheck, test for 2 projects/,
    );
    // The lint that passed holds shipping's domain to the same rule as the five services'.
    const domainConfig = copy.run('eslint', [
      '--print-config',
      `services/${NAME}/src/domain/${NAME}.service.ts`,
    ]);
    assert.equal(domainConfig.status, 0, tail(domainConfig.output));
    const { rules } = JSON.parse(domainConfig.output) as { rules: Record<string, unknown[]> };
    assert.match(
      JSON.stringify(rules['no-restricted-imports']),
      /"ioredis".*"@junction\/messaging"|"@junction\/messaging".*"ioredis"/,
      'the domain rule applies to the generated domain',
    );
    // Its e2e spec lives in the e2e project: lint it, and type-check that project with it.
    const spec = copy.run('eslint', ['--max-warnings', '0', `e2e/src/${NAME}.test.mts`]);
    assert.equal(spec.status, 0, tail(spec.output));
    const types = copy.run('tsc', ['-p', 'e2e/tsconfig.json', '--noEmit']);
    assert.equal(types.status, 0, tail(types.output));
  });

  it('documents its routes: npm run openapi:generate writes docs/openapi/shipping.json from its contracts, and the check passes', () => {
    const generated = copy.run('npm', ['run', 'openapi:generate']);
    assert.equal(generated.status, 0, tail(generated.output));
    assert.match(generated.output, /wrote docs\/openapi\/shipping\.json/);
    const document = JSON.parse(
      readFileSync(copy.path('docs', 'openapi', `${NAME}.json`), 'utf8'),
    ) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    assert.deepEqual(
      Object.entries(document.paths).map(([path, item]) => [path, item.get?.operationId]),
      [
        [`/${NAME}/events`, 'listShippingReceivedEvents'],
        [`/${NAME}/events/{messageId}`, 'getShippingReceivedEvent'],
      ],
    );
    const check = copy.run('npm', ['run', 'openapi:generate', '--', '--check']);
    assert.equal(check.status, 0, tail(check.output));
    assert.match(check.output, /the 6 OpenAPI documents are up to date/);
  });

  it('passes its own generated e2e spec (the service booted alone)', () => {
    const result = copy.run(
      process.execPath,
      ['--test', '--test-reporter=spec', `e2e/src/${NAME}.test.mts`],
      {
        E2E_REDIS_URL: PLACE.redisUrl,
        E2E_VHOST: PLACE.vhost,
        E2E_PORT_OFFSET: String(OFFSET),
      },
    );
    assert.equal(result.status, 0, tail(result.output));
    assert.match(result.output, /ℹ pass 3\n/);
  });

  it('runs as the sixth service: a queued order’s payment.captured reaches shipping, in the same trace', async () => {
    const topology = (await copy.import('tools/local/topology.mts')) as typeof TopologyModule;
    const names = Object.keys(topology.SERVICES);
    assert.deepEqual(names.sort(), ['auth', 'inventory', 'orders', 'payment', 'shipping', 'user']);
    await resetInfrastructureAt(PLACE);
    const receiver = await startOtlpReceiver();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const logs: string[] = [];
    const running = await topology.startTopology({
      redisUrl: PLACE.redisUrl,
      rabbitmqUrl: RABBITMQ_URL,
      portOffset: OFFSET,
      env: Object.fromEntries(names.map((name) => [name, otel])),
      onLine: (service, line) => logs.push(`${service} | ${line}`),
    });
    try {
      await eventually(
        async () => ((await consumerCount(`${NAME}.events`, RABBITMQ_URL)) > 0 ? true : undefined),
        'shipping consuming',
      );
      const url = (service: string, path: string): string =>
        `http://127.0.0.1:${String(topology.portsOf(service, OFFSET).http)}${path}`;
      const api = new Api({ url });
      const session = await api.newSession();
      const placed = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'queued' });
      assert.equal(placed.status, 202, JSON.stringify(placed.body));
      const order = await api.settled(session, placed.body.id);
      assert.equal(order.status, 'confirmed');

      const messageId = `payment.captured:${order.id}`;
      const reply = await eventually(async () => {
        const answer = await grpcCall<{ event: { messageId: string; type: string } }>({
          target: `127.0.0.1:${String(topology.portsOf(NAME, OFFSET).grpc)}`,
          root: copy.root,
          protoFile: 'junction/shipping/v1/shipping.proto',
          service: 'junction.shipping.v1.ShippingService',
          method: 'GetReceivedEvent',
          request: { messageId },
        });
        return answer.code === 0 ? answer : undefined;
      }, `shipping to record ${messageId}`);
      assert.deepEqual(reply.response?.event.type, 'payment.captured');
      const served = await fetch(url(NAME, '/openapi.json'));
      assert.equal(served.status, 200);
      assert.deepEqual(
        await served.json(),
        JSON.parse(readFileSync(copy.path('docs', 'openapi', `${NAME}.json`), 'utf8')),
        'it serves the document openapi:generate wrote',
      );

      const spans = await receiver.waitFor(
        (all) =>
          consumerSpan(all, order.id) !== undefined && producerSpan(all, order.id) !== undefined,
        15_000,
        'shipping’s spans in the checkout trace',
      );
      const consumer = consumerSpan(spans, order.id)!;
      const parent = spans.find((s) => s.spanId === consumer.parentSpanId);
      assert.equal(parent?.kind, 'PRODUCER');
      assert.equal(parent.service, 'payment', 'payment published what shipping consumed');
      const published = producerSpan(spans, order.id)!;
      assert.ok(
        isDescendant(spans, published, consumer),
        'shipment.created published while handling',
      );
    } finally {
      const codes = await topology.stopAll(running);
      await receiver.close();
      await removeInfrastructureAt(PLACE);
      assert.ok(
        Object.values(codes).every((code) => code === 0),
        `graceful shutdown: ${JSON.stringify(codes)}\n${logs.slice(-40).join('\n')}`,
      );
    }
  });

  it(
    'renders shipping’s Deployment, Service, ServiceAccount, AuthorizationPolicy (the gateway to its routes, nothing else) and skaffold artifact, and passes the Kubernetes checks',
    { timeout: TOOLS_WAIT_MS },
    async () => {
      const charts = (await copy.import('tools/k8s/src/charts.mts')) as {
        render(profile: 'default'): { app: KubeObject[] };
      };
      const { app } = charts.render('default');
      const own = (kind: string): KubeObject | undefined =>
        app.find((o) => o.kind === kind && o.metadata.name === NAME);
      for (const kind of [
        'Deployment',
        'Service',
        'ServiceAccount',
        'AuthorizationPolicy',
        'VirtualService',
      ])
        assert.ok(own(kind), `no ${kind} ${NAME} rendered`);
      const { parseTopology } = (await copy.import(
        'tools/topology/topology.mts',
      )) as typeof TopologyDeclaration;
      const port = String(
        parseTopology(readFileSync(copy.path('topology.yaml'), 'utf8')).services[NAME]?.http,
      );
      // No gRPC caller is declared: the ingress gateway, to its two routes, is all it admits.
      const route = (path: string) => ({
        operation: { methods: ['GET'], paths: [path], ports: [port] },
      });
      assert.deepEqual(own('AuthorizationPolicy')?.spec, {
        selector: {
          matchLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': 'junction' },
        },
        action: 'ALLOW',
        rules: [
          {
            from: [
              {
                source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] },
              },
            ],
            to: [route(`/${NAME}/events`), route(`/${NAME}/events/{*}`)],
          },
        ],
      });
      const skaffold = (await copy.import('tools/k8s/src/skaffold.mts')) as {
        loadSkaffold(): unknown[];
        config(
          configs: unknown[],
          name: string,
        ): {
          build?: {
            artifacts?: { image: string; docker?: { buildArgs?: Record<string, string> } }[];
          };
        };
      };
      const artifact = skaffold
        .config(skaffold.loadSkaffold(), 'app')
        .build?.artifacts?.find((a) => a.image === `junction-${NAME}`);
      assert.equal(artifact?.docker?.buildArgs?.SERVICE, NAME);
      // On a fresh machine `npm test` is still building the pinned tools these checks run.
      for (const { name } of TOOLS) await awaitTool(name, { onWait: console.log });
      // The same static checks as for the five originals: helm lint/template for every profile,
      // schema validation, workload and mesh policy, skaffold consistency; and the declaration's
      // own tests (the generated files are what the copy's topology.yaml says).
      const checks = copy.run(process.execPath, [
        '--test',
        '--test-isolation=none',
        '--test-reporter=dot',
        'tools/k8s/src/*.test.mts',
        'tools/topology/*.test.mts',
      ]);
      const failed = checks.output.split('\n').filter((line) => /^\s*✖ /.test(line));
      assert.equal(checks.status, 0, `${failed.join('\n')}\n${tail(checks.output)}`);
    },
  );

  it('remove-service takes all of it out again: the copy is as it was', () => {
    const removed = copy.nx('g', '@junction/tools:remove-service', NAME, '--no-interactive');
    assert.equal(removed.status, 0, removed.output);
    assert.deepEqual(sourceDifferences(original, copy.sources()), []);
    assert.deepEqual(webAppParts(copy), originalWeb, 'web/ and the web: section as they were');
    assert.equal(existsSync(copy.path('node_modules', '@junction', NAME)), false);
  });
});

function inOrderTrace(spans: Span[], orderId: string): Set<string> {
  return new Set(spans.filter((s) => s.attributes['order.id'] === orderId).map((s) => s.traceId));
}

function consumerSpan(spans: Span[], orderId: string): Span | undefined {
  const traces = inOrderTrace(spans, orderId);
  return spans.find(
    (s) =>
      s.service === NAME &&
      s.kind === 'CONSUMER' &&
      s.attributes['messaging.destination.name'] === 'junction.events:payment.captured' &&
      traces.has(s.traceId),
  );
}

function producerSpan(spans: Span[], orderId: string): Span | undefined {
  const traces = inOrderTrace(spans, orderId);
  return spans.find(
    (s) =>
      s.service === NAME &&
      s.kind === 'PRODUCER' &&
      s.attributes['messaging.destination.name'] === 'junction.events:shipment.created' &&
      traces.has(s.traceId),
  );
}

function isDescendant(spans: Span[], span: Span, ancestor: Span): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let at = byId.get(span.parentSpanId); at; at = byId.get(at.parentSpanId)) {
    if (at.spanId === ancestor.spanId) return true;
  }
  return false;
}
