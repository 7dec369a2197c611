// `npm start`: every service as a local process against RabbitMQ and Redis on localhost, the
// storefront beside them, and the local gateway in front of them all on the one public URL (the
// same as the cluster's).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTopology } from '@junction/topology';
import { capture, portHolder } from '../cluster/preflight.mts';
import { chartCollectorPorts } from './collector.mts';
import { type Gateway, GatewayPortError, startGateway } from './gateway.mts';
import { chartJaegerPorts } from './jaeger.mts';
import { localPasswords, provisionServiceAccess, type ServiceUrls } from './service-access.mts';
import { type LocalTelemetry, startLocalTelemetry } from './telemetry.mts';
import {
  reachable,
  ROOT,
  type RunningService,
  SERVICES,
  startTopology,
  startWebApp,
  stopAll,
  type WebAppTelemetry,
} from './topology.mts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rabbitmqUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const gatewayPort = loadTopology().gateway.port;
const storefront = loadTopology().web.storefront;
if (!storefront) throw new Error('topology.yaml declares no web app storefront');
const STOREFRONT_ENTRY = join(ROOT, 'web', 'storefront', 'dist', 'server', 'main.js');

/** Why the gateway's port cannot be had, naming who holds it when the machine can tell. */
function portTaken(): string {
  const holder = portHolder(gatewayPort, capture);
  return `port ${String(gatewayPort)} (the gateway, topology.yaml gateway.port) is in use${holder ? ` by ${holder}` : ''}.
  Often an earlier npm start, or npm run cluster:up's port-forward to the cluster's gateway:
  stop it and run npm start again.`;
}

const { values: flags } = parseOrExit();

/** The command line, or exit 2 with what is wrong with it. */
function parseOrExit() {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', default: false },
        'user-prefix': { type: 'string', default: '' },
        'admin-credentials': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\nsee: npm start -- --help`,
    );
    process.exit(2);
  }
}

if (flags.help) {
  const collectorPorts = chartCollectorPorts();
  console.log(`usage: npm start [-- [--user-prefix <prefix>] [--admin-credentials]]

Builds and starts every service (${Object.keys(SERVICES).join(', ')}) as separate processes
on fixed ports, against RabbitMQ and Redis on localhost, waits until every /readyz is green,
then the storefront (web/storefront's built server, on ${String(storefront.http)}, its demo panel on), then the
local gateway on http://localhost:${String(gatewayPort)}: the storefront under ${storefront.prefix} and the public routes
of topology.yaml, as the cluster's Istio gateway serves them on the same URL (anything else is a
404 there). Open http://localhost:${String(gatewayPort)}${storefront.prefix} in a browser.
Before the services it starts the chart's OpenTelemetry Collector (OTLP on ${String(collectorPorts.otlpGrpc)} and
${String(collectorPorts.otlpHttp)}) and Jaeger (http://127.0.0.1:${String(chartJaegerPorts().queryHttp)}) from their pinned builds, when built: traces go to
Jaeger, metrics to a scrape endpoint (http://127.0.0.1:${String(collectorPorts.scrape)}/metrics). Prints those URLs and
each service's own ports. The storefront relays the browser's spans to the same collector (or
Jaeger) and reads the order's trace from that Jaeger. Ctrl-C stops the gateway, the storefront,
the services (graceful shutdown), the collector and Jaeger.

Each service signs in to Redis and RabbitMQ as its own user, confined to its own keys, queues and
events as in the cluster: npm start first provisions them (what npm run provision does, with
REDIS_URL's and RABBITMQ_URL's administrator; passwords in .local/service-passwords.json).

--user-prefix <p>     put <p> before each service's user name (default: none)
--admin-credentials   no per-service users: every service uses REDIS_URL and RABBITMQ_URL as given

Environment: REDIS_URL (default ${redisUrl}), RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672),
OTEL_EXPORTER_OTLP_ENDPOINT (set: every service exports there, the storefront's browser spans go to
its /v1/traces as OTLP/JSON, and no Jaeger or collector starts).`);
  process.exit(0);
}

const missing: string[] = [];
if (!(await reachable(redisUrl))) {
  missing.push(`Redis is not reachable at ${redisUrl}.
  Start it:  redis-server --daemonize yes        (Debian/Ubuntu: sudo apt-get install redis-server)
  or point REDIS_URL at a running one.`);
}
if (!(await reachable(rabbitmqUrl))) {
  missing.push(`RabbitMQ is not reachable at ${new URL(rabbitmqUrl).host}.
  Start it:  rabbitmq-server -detached           (Debian/Ubuntu: sudo apt-get install rabbitmq-server)
  or point RABBITMQ_URL at a running one.`);
}
if (!existsSync(STOREFRONT_ENTRY)) {
  missing.push(`the storefront is not built: ${STOREFRONT_ENTRY} is missing.
  Build it:  npx nx run @junction/storefront:build   (npm start builds everything first)`);
}
if (await reachable(`http://127.0.0.1:${String(gatewayPort)}`)) missing.push(portTaken());
if (missing.length > 0) {
  console.error(missing.join('\n\n'));
  process.exit(1);
}

// Each service's own users first (tools/local/service-access.mts): its REDIS_URL and RABBITMQ_URL.
let serviceUrls: ServiceUrls = {};
if (!flags['admin-credentials']) {
  serviceUrls = await provisionServiceAccess({
    redisUrl,
    rabbitmqUrl,
    userPrefix: flags['user-prefix'],
    passwords: localPasswords(),
  }).catch((error: unknown) => {
    console.error(`could not create the services' Redis and RabbitMQ users: ${error instanceof Error ? error.message : String(error)}
  They need Redis 6 or later (ACL) and rabbitmqctl on this machine, with REDIS_URL and
  RABBITMQ_URL as administrators; or run every service as those: npm start -- --admin-credentials`);
    process.exit(1);
  });
}

console.log(`starting ${Object.keys(SERVICES).join(', ')} ...`);
// Jaeger and the collector first, so the services' first spans and metrics have somewhere to go
// (or the banner says why not).
const telemetry = await startLocalTelemetry(Object.keys(SERVICES));
const env = Object.fromEntries(
  Object.keys(SERVICES).map((name) => {
    const own = serviceUrls[name];
    return [
      name,
      {
        ...telemetry.env[name],
        ...(own?.redisUrl ? { REDIS_URL: own.redisUrl } : {}),
        ...(own?.rabbitmqUrl ? { RABBITMQ_URL: own.rabbitmqUrl } : {}),
      },
    ];
  }),
);
const running = await startTopology({ redisUrl, rabbitmqUrl, env }).catch((error: unknown) => {
  console.error(
    `could not start the topology: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});

/**
 * Where the storefront relays the browser's spans (OTLP/JSON, which the collector and Jaeger both
 * take on /v1/traces) and reads traces back: where the services' spans go, so one trace holds
 * the browser's spans and theirs.
 */
function storefrontTelemetry(local: LocalTelemetry): WebAppTelemetry {
  const otlp = local.collector?.otlpEndpoint ?? local.jaeger?.otlpEndpoint;
  const ownTraces = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const own = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const otlpTracesUrl = otlp
    ? `${otlp}/v1/traces`
    : (ownTraces ?? (own ? `${own.replace(/\/$/, '')}/v1/traces` : undefined));
  return {
    ...(otlpTracesUrl ? { otlpTracesUrl } : {}),
    ...(local.jaeger ? { jaegerQueryUrl: local.jaeger.queryUrl } : {}),
  };
}

const web: RunningService = await startWebApp('storefront', storefrontTelemetry(telemetry)).catch(
  async (error: unknown) => {
    console.error(
      `could not start the storefront: ${error instanceof Error ? error.message : String(error)}`,
    );
    await stopAll(running);
    process.exit(1);
  },
);

const gateway: Gateway = await startGateway().catch(async (error: unknown) => {
  console.error(
    error instanceof GatewayPortError && error.code === 'EADDRINUSE'
      ? portTaken()
      : `could not start the gateway: ${error instanceof Error ? error.message : String(error)}`,
  );
  await stopAll([web, ...running]);
  process.exit(1);
});

const rows = Object.entries(SERVICES).map(
  ([name, ports]) =>
    `  ${name.padEnd(10)} http://127.0.0.1:${String(ports.http)}${ports.grpc ? `   gRPC 127.0.0.1:${String(ports.grpc)}` : ''}`,
);
console.log(`
Junction is up (every /readyz is green):

  ${gateway.url}${storefront.prefix}   the storefront
  ${gateway.url}   the public routes (the gateway; the cluster's URL too)
${telemetry.summary}

Each service on its own ports (with /healthz and /readyz, which the gateway does not serve):
${rows.join('\n')}
  ${'storefront'.padEnd(10)} http://127.0.0.1:${String(web.ports.http)}

Try:  curl ${gateway.url}/inventory/items
Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping ...');
    void gateway
      .close()
      .then(() => stopAll([web, ...running]))
      .then(async (codes) => {
        // The collector first, so what it still holds reaches Jaeger.
        await telemetry.collector?.stop();
        await telemetry.jaeger?.stop();
        const failed = Object.entries(codes).filter(([, code]) => code !== 0);
        for (const [name, code] of failed) console.error(`${name} exited with ${String(code)}`);
        process.exit(failed.length === 0 ? 0 : 1);
      });
  });
}
for (const service of [web, ...running]) {
  void service.exited.then((code) => {
    if (!stopping) console.error(`${service.name} exited unexpectedly with code ${String(code)}`);
  });
}
