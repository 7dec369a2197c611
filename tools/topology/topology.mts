// The one declaration of Junction's topology (topology.yaml at the repository root), parsed and
// checked. Everything that needs ports, gRPC methods, calls, routes or events reads it from here:
// the local topology and gateway, the generated Helm values and skaffold artifacts, the mesh
// checks and the call-graph test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TOPOLOGY_FILE = path.join(REPO_ROOT, 'topology.yaml');

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A REST route: `GET /orders/{id}/events stream` in the file. */
export interface Route {
  readonly method: HttpMethod;
  /** The path, with `{name}` for one path segment. */
  readonly path: string;
  /** A long-lived response (Server-Sent Events): no timeout at the gateway. */
  readonly stream: boolean;
}

export interface GrpcApi {
  readonly port: number;
  /** Fully qualified service name, e.g. `junction.user.v1.UserService`. */
  readonly service: string;
  /** Method name → whether a repeated call has one effect (safe to retry). */
  readonly methods: Readonly<Record<string, { readonly idempotent: boolean }>>;
}

export interface Service {
  readonly name: string;
  readonly http: number;
  readonly grpc?: GrpcApi;
  readonly redis: boolean;
  readonly rabbitmq: boolean;
  /** `sign`: issues access tokens; `verify`: checks them against the signer's JWKS. */
  readonly tokens: 'sign' | 'verify' | 'none';
  readonly faults: boolean;
  /** Public REST routes, served through the gateway. */
  readonly routes: readonly Route[];
  readonly publishes: readonly string[];
  readonly consumes: readonly string[];
  /** AMQP request-reply queues this service answers on. */
  readonly serves: readonly string[];
}

/** One caller → callee edge of the call graph (a `from: [a, b]` entry becomes one per caller). */
export interface Call {
  readonly from: string;
  readonly to: string;
  readonly grpc: readonly string[];
  readonly http: readonly Route[];
}

/**
 * A browser app (under web/, not a NestJS service): the gateway sends it every request under its
 * path prefix, whatever the method; it calls no service but the ones its demo panel names.
 */
export interface WebApp {
  readonly name: string;
  readonly http: number;
  /** e.g. `/shop/`: starts and ends with `/`, and no public route lies under it. */
  readonly prefix: string;
  /** Services whose /admin/faults its demo panel sets (each with `faults: true`). */
  readonly demo: readonly string[];
}

export interface Topology {
  readonly gateway: { readonly port: number };
  readonly services: Readonly<Record<string, Service>>;
  readonly web: Readonly<Record<string, WebApp>>;
  readonly calls: readonly Call[];
}

class TopologyError extends Error {
  constructor(where: string, problem: string) {
    super(`topology.yaml: ${where}: ${problem}`);
  }
}

type Raw = Record<string, unknown>;

const isRaw = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, where: string, keys: readonly string[]): Raw {
  if (!isRaw(value)) throw new TopologyError(where, 'must be a mapping');
  const unknown = Object.keys(value).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    throw new TopologyError(
      where,
      `unknown key(s) ${unknown.join(', ')} (known: ${keys.join(', ')})`,
    );
  }
  return value;
}

function port(value: unknown, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65_535) {
    throw new TopologyError(where, 'must be a port number (1-65535)');
  }
  return value as number;
}

function flag(value: unknown, where: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TopologyError(where, 'must be true or false');
  return value;
}

function strings(value: unknown, where: string, pattern: RegExp): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new TopologyError(where, 'must be a list');
  return list.map((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) {
      throw new TopologyError(`${where}[${String(i)}]`, `must match ${String(pattern)}`);
    }
    return item;
  });
}

const NAME = /^[a-z][a-z0-9-]*$/;
const EVENT = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const METHOD_NAME = /^[A-Z][A-Za-z0-9]*$/;
const GRPC_SERVICE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.[A-Z][A-Za-z0-9]*$/;
const ROUTE = /^(?<method>[A-Z]+) (?<path>\/[^\s]*)(?<stream> stream)?$/;
const PATH_SEGMENT = /^([A-Za-z0-9._~-]+|\{[a-zA-Z][a-zA-Z0-9]*\})$/;

export function parseRoute(text: string, where: string): Route {
  const match = ROUTE.exec(text);
  const method = match?.groups?.method as HttpMethod | undefined;
  const routePath = match?.groups?.path ?? '';
  if (!match || !method || !HTTP_METHODS.includes(method)) {
    throw new TopologyError(where, `"${text}" is not "<${HTTP_METHODS.join('|')}> /path [stream]"`);
  }
  const segments = routePath.split('/').slice(1);
  if (!segments.every((segment) => PATH_SEGMENT.test(segment))) {
    throw new TopologyError(where, `"${routePath}": segments are literals or one {name}`);
  }
  return { method, path: routePath, stream: match.groups?.stream !== undefined };
}

function routes(value: unknown, where: string): Route[] {
  return strings(value, where, /./).map((text, i) => parseRoute(text, `${where}[${String(i)}]`));
}

function grpcApi(value: unknown, where: string): GrpcApi {
  const raw = object(value, where, ['port', 'service', 'methods']);
  if (typeof raw.service !== 'string' || !GRPC_SERVICE.test(raw.service)) {
    throw new TopologyError(`${where}.service`, 'must be a fully qualified gRPC service name');
  }
  const rawMethods = object(raw.methods, `${where}.methods`, Object.keys(raw.methods ?? {}));
  const methods: Record<string, { idempotent: boolean }> = {};
  for (const [name, settings] of Object.entries(rawMethods)) {
    if (!METHOD_NAME.test(name)) throw new TopologyError(`${where}.methods.${name}`, 'bad name');
    const s = object(settings, `${where}.methods.${name}`, ['idempotent']);
    if (typeof s.idempotent !== 'boolean') {
      throw new TopologyError(`${where}.methods.${name}.idempotent`, 'must be true or false');
    }
    methods[name] = { idempotent: s.idempotent };
  }
  if (Object.keys(methods).length === 0) throw new TopologyError(where, 'declares no methods');
  return { port: port(raw.port, `${where}.port`), service: raw.service, methods };
}

const SERVICE_KEYS = [
  'http',
  'grpc',
  'redis',
  'rabbitmq',
  'tokens',
  'faults',
  'routes',
  'publishes',
  'consumes',
  'serves',
] as const;

function service(name: string, value: unknown): Service {
  const where = `services.${name}`;
  if (!NAME.test(name)) throw new TopologyError(where, `the name must match ${String(NAME)}`);
  const raw = object(value, where, SERVICE_KEYS);
  const tokens = raw.tokens ?? 'none';
  if (tokens !== 'sign' && tokens !== 'verify' && tokens !== 'none') {
    throw new TopologyError(`${where}.tokens`, 'must be sign, verify or none');
  }
  return {
    name,
    http: port(raw.http, `${where}.http`),
    ...(raw.grpc === undefined ? {} : { grpc: grpcApi(raw.grpc, `${where}.grpc`) }),
    redis: flag(raw.redis, `${where}.redis`),
    rabbitmq: flag(raw.rabbitmq, `${where}.rabbitmq`),
    tokens,
    faults: flag(raw.faults, `${where}.faults`),
    routes: routes(raw.routes, `${where}.routes`),
    publishes: strings(raw.publishes, `${where}.publishes`, EVENT),
    consumes: strings(raw.consumes, `${where}.consumes`, EVENT),
    serves: strings(raw.serves, `${where}.serves`, EVENT),
  };
}

const PREFIX = /^\/([a-z][a-z0-9-]*\/)+$/;

function webApp(name: string, value: unknown, services: Readonly<Record<string, Service>>): WebApp {
  const where = `web.${name}`;
  if (!NAME.test(name)) throw new TopologyError(where, `the name must match ${String(NAME)}`);
  if (services[name]) throw new TopologyError(where, `${name} is also a service`);
  const raw = object(value, where, ['http', 'prefix', 'demo']);
  if (typeof raw.prefix !== 'string' || !PREFIX.test(raw.prefix)) {
    throw new TopologyError(`${where}.prefix`, `must be a path like /shop/ (${String(PREFIX)})`);
  }
  const demo = strings(raw.demo, `${where}.demo`, NAME);
  for (const target of demo) {
    if (!services[target]?.faults) {
      throw new TopologyError(`${where}.demo`, `${target} is not a service with faults: true`);
    }
  }
  return { name, http: port(raw.http, `${where}.http`), prefix: raw.prefix, demo };
}

/**
 * Whether a request path belongs to a web app's prefix: the prefix itself, anything under it,
 * and the prefix without its trailing slash (which the app redirects to the prefix).
 */
export function underPrefix(prefix: string, requestPath: string): boolean {
  return requestPath.startsWith(prefix) || requestPath === prefix.slice(0, -1);
}

/** A public route a web app's prefix would swallow: the UI's and the API's paths must not meet. */
function checkPrefixes(apps: readonly WebApp[], services: readonly Service[]): void {
  for (const app of apps) {
    for (const other of apps) {
      if (other !== app && underPrefix(other.prefix, app.prefix)) {
        throw new TopologyError(`web.${app.name}.prefix`, `lies under web.${other.name}'s`);
      }
    }
    for (const s of services) {
      for (const r of s.routes) {
        if (routeMeetsPrefix(r.path, app.prefix)) {
          throw new TopologyError(
            `web.${app.name}.prefix`,
            `${app.prefix} would take ${s.name}'s route ${r.method} ${r.path}`,
          );
        }
      }
    }
  }
}

/**
 * Whether some request path matches both a route and a prefix. Exact, not approximated: a route
 * segment is a literal or a `{param}` (any one non-empty segment), so the route meets the prefix
 * when it has at least the prefix's segments and each of those is the prefix's or a param.
 */
export function routeMeetsPrefix(routePath: string, prefix: string): boolean {
  const route = routePath.split('/').slice(1);
  const owned = prefix.split('/').slice(1, -1);
  return (
    route.length >= owned.length &&
    owned.every((segment, i) => route[i] === segment || /^\{.+\}$/.test(route[i] ?? ''))
  );
}

function calls(value: unknown, services: Readonly<Record<string, Service>>): Call[] {
  if (!Array.isArray(value)) throw new TopologyError('calls', 'must be a list');
  return value.flatMap((entry, i) => {
    const where = `calls[${String(i)}]`;
    const raw = object(entry, where, ['from', 'to', 'grpc', 'http']);
    const to = strings(raw.to, `${where}.to`, NAME);
    const callee = services[to[0] ?? ''];
    if (to.length !== 1 || !callee) throw new TopologyError(`${where}.to`, 'must name one service');
    const grpc = strings(raw.grpc, `${where}.grpc`, METHOD_NAME);
    const http = routes(raw.http, `${where}.http`);
    if (grpc.length === 0 && http.length === 0) {
      throw new TopologyError(where, 'names no grpc methods and no http routes');
    }
    for (const method of grpc) {
      if (!callee.grpc?.methods[method]) {
        throw new TopologyError(`${where}.grpc`, `${callee.name} has no gRPC method ${method}`);
      }
    }
    for (const route of http) {
      if (!callee.routes.some((r) => r.method === route.method && r.path === route.path)) {
        throw new TopologyError(
          `${where}.http`,
          `${callee.name} has no route ${route.method} ${route.path}`,
        );
      }
    }
    const from = strings(raw.from, `${where}.from`, NAME);
    if (from.length === 0) throw new TopologyError(`${where}.from`, 'names no caller');
    return from.map((caller) => {
      if (!services[caller]) throw new TopologyError(`${where}.from`, `unknown service ${caller}`);
      if (caller === callee.name) throw new TopologyError(where, `${caller} calls itself`);
      return { from: caller, to: callee.name, grpc, http };
    });
  });
}

function checkUnique(
  services: readonly Service[],
  apps: readonly WebApp[],
  gatewayPort: number,
): void {
  const owners = new Map<number, string>([[gatewayPort, 'gateway.port']]);
  for (const app of apps) {
    const owner = owners.get(app.http);
    if (owner)
      throw new TopologyError(`web.${app.name}.http`, `port ${String(app.http)} is also ${owner}`);
    owners.set(app.http, `web.${app.name}.http`);
  }
  for (const s of services) {
    for (const [what, p] of [
      ['http', s.http],
      ['grpc.port', s.grpc?.port],
    ] as const) {
      if (p === undefined) continue;
      const owner = owners.get(p);
      if (owner)
        throw new TopologyError(`services.${s.name}.${what}`, `port ${String(p)} is also ${owner}`);
      owners.set(p, `services.${s.name}.${what}`);
    }
  }
  const routes = new Map<string, string>();
  for (const s of services) {
    for (const r of s.routes) {
      const key = `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`;
      const owner = routes.get(key);
      if (owner) throw new TopologyError(`services.${s.name}.routes`, `${key} is also ${owner}'s`);
      routes.set(key, s.name);
    }
  }
}

function checkEvents(services: readonly Service[]): void {
  const published = new Set(services.flatMap((s) => s.publishes));
  // One publisher per event: consumers accept an event only from its publisher's broker user.
  const publishers = new Map<string, string>();
  for (const s of services) {
    for (const event of s.publishes) {
      const other = publishers.get(event);
      if (other) {
        throw new TopologyError(`services.${s.name}.publishes`, `${event} is also ${other}'s`);
      }
      publishers.set(event, s.name);
    }
  }
  for (const s of services) {
    for (const event of s.consumes) {
      if (!published.has(event)) {
        throw new TopologyError(`services.${s.name}.consumes`, `nobody publishes ${event}`);
      }
    }
    if ((s.publishes.length > 0 || s.consumes.length > 0 || s.serves.length > 0) && !s.rabbitmq) {
      throw new TopologyError(`services.${s.name}`, 'uses events but has no rabbitmq: true');
    }
  }
}

/** Parses and checks a topology document; throws one line naming the first problem. */
export function parseTopology(text: string): Topology {
  const raw = object(parse(text), '(top level)', ['gateway', 'services', 'web', 'calls']);
  const gateway = object(raw.gateway, 'gateway', ['port']);
  const rawServices = object(raw.services, 'services', Object.keys(raw.services ?? {}));
  const services: Record<string, Service> = {};
  for (const [name, value] of Object.entries(rawServices)) services[name] = service(name, value);
  const list = Object.values(services);
  const rawWeb = object(raw.web ?? {}, 'web', Object.keys(raw.web ?? {}));
  const web: Record<string, WebApp> = {};
  for (const [name, value] of Object.entries(rawWeb)) web[name] = webApp(name, value, services);
  const gatewayPort = port(gateway.port, 'gateway.port');
  checkUnique(list, Object.values(web), gatewayPort);
  checkPrefixes(Object.values(web), list);
  checkEvents(list);
  const signers = list.filter((s) => s.tokens === 'sign');
  if (list.some((s) => s.tokens === 'verify') && signers.length !== 1) {
    throw new TopologyError(
      'services',
      'token verifiers need exactly one service with tokens: sign',
    );
  }
  return {
    gateway: { port: gatewayPort },
    services,
    web,
    calls: calls(raw.calls ?? [], services),
  };
}

let cached: Topology | undefined;

/** The repository's topology.yaml (read once per process). */
export function loadTopology(): Topology {
  cached ??= parseTopology(readFileSync(TOPOLOGY_FILE, 'utf8'));
  return cached;
}

/** The service that signs access tokens (whose JWKS the verifiers fetch), if any. */
export function tokenSigner(topology: Topology): Service | undefined {
  return Object.values(topology.services).find((s) => s.tokens === 'sign');
}

/** The environment variable that holds a client's target of `peer`'s gRPC API. */
export const grpcTargetEnv = (peer: string): string =>
  `${peer.toUpperCase().replace(/-/g, '_')}_GRPC_TARGET`;

/** The services whose gRPC APIs `caller` calls. */
export function grpcPeersOf(topology: Topology, caller: string): string[] {
  return [
    ...new Set(
      topology.calls.filter((c) => c.from === caller && c.grpc.length > 0).map((c) => c.to),
    ),
  ];
}

/** Who may call `method` of `callee`'s gRPC API. */
export function grpcCallersOf(topology: Topology, callee: string, method: string): string[] {
  return topology.calls
    .filter((c) => c.to === callee && c.grpc.includes(method))
    .map((c) => c.from);
}

/** In-mesh HTTP callers of `callee`, per route (`GET /path` → callers). */
export function httpCallersOf(topology: Topology, callee: string): Map<string, string[]> {
  const byRoute = new Map<string, string[]>();
  for (const call of topology.calls.filter((c) => c.to === callee)) {
    for (const route of call.http) {
      const key = `${route.method} ${route.path}`;
      byRoute.set(key, [...(byRoute.get(key) ?? []), call.from]);
    }
  }
  return byRoute;
}

/** A route's path as a regular expression on a request path (`{id}` = one segment). */
export function routePattern(routePath: string): RegExp {
  const source = routePath
    .split('/')
    .map((segment) =>
      /^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}
