// The local topology: the five services as separate processes from their built output, against
// RabbitMQ and Redis on localhost, and the web apps (the storefront) beside them. Used by
// `npm start` (start.mts) and by the end-to-end tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  grpcPeersOf,
  grpcTargetEnv,
  loadTopology,
  REPO_ROOT,
  tokenSigner,
} from '@junction/topology';

export const ROOT = REPO_ROOT;

export interface ServicePorts {
  readonly http: number;
  readonly grpc?: number;
}

const topology = loadTopology();

/** Every service's fixed ports, from topology.yaml (README's ports table). */
export const SERVICES: Readonly<Record<string, ServicePorts>> = Object.fromEntries(
  Object.values(topology.services).map((s) => [
    s.name,
    { http: s.http, ...(s.grpc ? { grpc: s.grpc.port } : {}) },
  ]),
);

export interface TopologyOptions {
  readonly redisUrl: string;
  readonly rabbitmqUrl: string;
  /** Added to every port, so tests can run beside a developer's `npm start`. */
  readonly portOffset?: number;
  /** Extra env per service (e.g. OTEL_* or a fault). */
  readonly env?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly only?: readonly string[];
  /** Where each service's log lines go; default: stdout, prefixed with the service name. */
  readonly onLine?: (service: string, line: string) => void;
}

export interface RunningService {
  readonly name: string;
  readonly ports: ServicePorts;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
}

export function portsOf(name: string, offset = 0): ServicePorts {
  const ports = SERVICES[name];
  if (!ports) throw new Error(`unknown service ${name}`);
  return { http: ports.http + offset, ...(ports.grpc ? { grpc: ports.grpc + offset } : {}) };
}

/** TCP reachability of a URL's host:port, answered within `timeoutMs`. */
export function reachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}

/** The dev signing key for auth: generated once into .local/ (git-ignored), never committed. */
export function devSigningKey(): string {
  const path = join(ROOT, '.local', 'jwt-dev-key.pem');
  if (!existsSync(path)) {
    mkdirSync(join(ROOT, '.local'), { recursive: true });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8');
}

/**
 * The operator token of the services' /admin/faults in local runs (`npm run fault` reads it):
 * generated once into .local/ (git-ignored), never committed.
 */
export function devFaultAdminToken(): string {
  const path = join(ROOT, '.local', 'fault-admin-token');
  if (!existsSync(path)) {
    mkdirSync(join(ROOT, '.local'), { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

/**
 * A service's environment in the local run: the same variables the chart's ConfigMap gives it,
 * derived from topology.yaml (its ports, a target per gRPC peer it calls, the signer's JWKS URL
 * for token verifiers), pointed at 127.0.0.1. Local runs are the lab: a service with faults has
 * fault injection on, with the dev operator token (devFaultAdminToken).
 */
export function serviceEnv(name: string, options: TopologyOptions): Record<string, string> {
  const offset = options.portOffset ?? 0;
  const declared = topology.services[name];
  if (!declared) throw new Error(`unknown service ${name}`);
  const own = portsOf(name, offset);
  const env: Record<string, string> = {
    HTTP_PORT: String(own.http),
    REDIS_URL: options.redisUrl,
    RABBITMQ_URL: options.rabbitmqUrl,
  };
  if (own.grpc) env.GRPC_PORT = String(own.grpc);
  for (const peer of grpcPeersOf(topology, name)) {
    env[grpcTargetEnv(peer)] = `127.0.0.1:${String(portsOf(peer, offset).grpc)}`;
  }
  const signer = tokenSigner(topology);
  if (declared.tokens === 'verify' && signer) {
    env.AUTH_JWKS_URL = `http://127.0.0.1:${String(portsOf(signer.name, offset).http)}/.well-known/jwks.json`;
  }
  if (declared.tokens === 'sign') env.JWT_PRIVATE_KEY = devSigningKey();
  if (declared.faults) {
    env.FAULT_INJECTION = 'true';
    env.FAULT_ADMIN_TOKEN = devFaultAdminToken();
  }
  return { ...env, ...telemetryEnv(name), ...options.env?.[name] };
}

/**
 * Tracing for local runs: the caller's OTEL_* settings (e.g. OTEL_EXPORTER_OTLP_ENDPOINT, which
 * turns tracing on) reach every service; each is named after itself.
 */
function telemetryEnv(name: string): Record<string, string> {
  const forwarded = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[0].startsWith('OTEL_') && entry[1] !== undefined,
  );
  return { ...Object.fromEntries(forwarded), OTEL_SERVICE_NAME: name };
}

/** A web app's HTTP port in a run with this port offset (topology.yaml's `web`). */
export function webPortOf(name: string, offset = 0): number {
  const app = topology.web[name];
  if (!app) throw new Error(`unknown web app ${name}`);
  return app.http + offset;
}

/** Where the storefront's browser spans and trace lookups go in a local run (none: off). */
export interface WebAppTelemetry {
  /** An OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces. */
  readonly otlpTracesUrl?: string;
  /** Jaeger's query API origin, for the order's trace waterfall. */
  readonly jaegerQueryUrl?: string;
}

/**
 * A web app's environment in the local run (web/storefront/README.md lists the variables): its
 * port, loopback only, and — local runs being the lab, as for the services' faults — the demo
 * panel on, pointed at the /admin/faults of the services topology.yaml's `demo` names.
 */
export function webAppEnv(
  name: string,
  options: Pick<TopologyOptions, 'portOffset'> & WebAppTelemetry,
): Record<string, string> {
  const offset = options.portOffset ?? 0;
  const app = topology.web[name];
  if (!app) throw new Error(`unknown web app ${name}`);
  const env: Record<string, string> = {
    PORT: String(app.http + offset),
    HOST: '127.0.0.1',
    ...(options.otlpTracesUrl ? { OTLP_TRACES_URL: options.otlpTracesUrl } : {}),
    ...(options.jaegerQueryUrl ? { JAEGER_QUERY_URL: options.jaegerQueryUrl } : {}),
  };
  if (app.demo.length > 0) {
    env.DEMO_PANEL = 'true';
    env.FAULT_ADMIN_TOKEN = devFaultAdminToken();
    for (const target of app.demo) {
      env[`FAULT_${target.toUpperCase().replace(/-/g, '_')}_URL`] =
        `http://127.0.0.1:${String(portsOf(target, offset).http)}`;
    }
  }
  return env;
}

/** One process from its built entry point (under `dir`, its cwd), its lines to `onLine`. */
function spawnProgram(
  name: string,
  dir: string,
  entry: string,
  env: Record<string, string>,
  ports: ServicePorts,
  onLine: TopologyOptions['onLine'],
): RunningService {
  const path = join(dir, entry);
  if (!existsSync(path))
    throw new Error(`${path} is missing: run \`npx nx run-many -t build\` first`);
  const child = spawn(process.execPath, [path], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const print =
    onLine ??
    ((program: string, line: string) => {
      console.log(`${program.padEnd(9)} | ${line}`);
    });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      print(name, line);
    });
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  return { name, ports, process: child, exited };
}

export function startService(name: string, options: TopologyOptions): RunningService {
  return spawnProgram(
    name,
    join(ROOT, 'services', name),
    join('dist', 'main.js'),
    serviceEnv(name, options),
    portsOf(name, options.portOffset ?? 0),
    options.onLine,
  );
}

/** Starts a web app (its built server) and waits for its /readyz, like a service's. */
export async function startWebApp(
  name: string,
  options: Pick<TopologyOptions, 'portOffset' | 'onLine'> &
    WebAppTelemetry & { readonly env?: Readonly<Record<string, string>> },
): Promise<RunningService> {
  const running = spawnProgram(
    name,
    join(ROOT, 'web', name),
    join('dist', 'server', 'main.js'),
    { ...webAppEnv(name, options), ...options.env },
    { http: webPortOf(name, options.portOffset ?? 0) },
    options.onLine,
  );
  try {
    await waitUntilReady(running);
  } catch (error) {
    await stopAll([running]);
    throw error;
  }
  return running;
}

export async function waitUntilReady(service: RunningService, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(
        `${service.name} exited with code ${String(service.process.exitCode)} before it was ready`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${String(service.ports.http)}/readyz`);
      if (response.status === 200) return;
      last = await response.text();
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} not ready after ${String(timeoutMs)} ms: ${last}`);
}

export async function startTopology(options: TopologyOptions): Promise<RunningService[]> {
  const names = options.only ?? Object.keys(SERVICES);
  const running = names.map((name) => startService(name, options));
  try {
    await Promise.all(running.map((service) => waitUntilReady(service)));
  } catch (error) {
    await stopAll(running);
    throw error;
  }
  return running;
}

/** SIGTERM to every service; resolves with each exit code once all have exited. */
export async function stopAll(
  running: readonly RunningService[],
): Promise<Record<string, number | null>> {
  for (const service of running) {
    if (service.process.exitCode === null) service.process.kill('SIGTERM');
  }
  const codes = await Promise.all(running.map((service) => service.exited));
  return Object.fromEntries(running.map((service, i) => [service.name, codes[i] ?? null]));
}
