// The local gateway: what the Istio ingress gateway is in the cluster, for `npm start` and the
// end-to-end tests. One port (topology.yaml's gateway.port + the run's port offset) serves
// exactly the public routes topology.yaml declares, the way charts/junction/templates/mesh/
// gateway.yaml routes them:
//
// - a web app's prefix (topology.yaml's `web`, e.g. `/shop/`) takes every method on the prefix,
//   anything under it and the prefix without its trailing slash, as the chart's prefix match
//   does; the parser guarantees that no public route lies under a prefix;
// - a literal path matches exactly, a `{param}` one non-empty segment (`[^/]+`, topology's
//   routePattern, the same regex as the chart's junction.routeRegex), the method exactly; the
//   query string is not part of the match; dot segments are resolved first (Envoy's path
//   normalization). Anything else is a 404 with an empty body, and reaches no service;
// - non-stream routes time out after the chart's mesh.timeouts.http (504), stream routes
//   (Server-Sent Events) never, and their bytes are passed on as they arrive;
// - request headers and bodies pass through untouched (Authorization, Idempotency-Key,
//   traceparent, the Host), with the client's address appended to X-Forwarded-For (as the
//   gateway's Envoy does); the response's status and headers come back as they are (Location,
//   Retry-After), minus hop-by-hop headers.
//
// Not mirrored: the mesh retries GETs on connection failures (one local process has nothing to
// fail over to), and the gateway adds no span of its own to a trace (traceparent passes through).
import replyFrom, { type FastifyReplyFromHooks } from '@fastify/reply-from';
import {
  type HttpMethod,
  loadTopology,
  REPO_ROOT,
  routePattern,
  type Topology,
} from '@junction/topology';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { portsOf, webPortOf } from './topology.mts';

/** One public route as the gateway serves it. */
export interface GatewayRoute {
  /** A service, or a web app (whose route is its prefix, any method). */
  readonly service: string;
  readonly method: HttpMethod | 'any';
  /** As topology.yaml writes it, `{name}` for one segment. */
  readonly path: string;
  readonly stream: boolean;
  readonly pattern: RegExp;
}

/**
 * The gateway's route table: every public route topology.yaml declares, and each web app's
 * prefix; nothing else.
 */
export function gatewayRoutes(topology: Topology = loadTopology()): GatewayRoute[] {
  const api = Object.values(topology.services).flatMap((service) =>
    service.routes.map((route) => ({
      service: service.name,
      method: route.method,
      path: route.path,
      stream: route.stream,
      pattern: routePattern(route.path),
    })),
  );
  const web = Object.values(topology.web).map((app) => ({
    service: app.name,
    method: 'any' as const,
    path: app.prefix,
    stream: false,
    pattern: prefixPattern(app.prefix),
  }));
  return [...api, ...web];
}

/** A prefix `/shop/` as a pattern: `/shop`, `/shop/` and anything under it. */
export function prefixPattern(prefix: string): RegExp {
  const base = prefix.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}(?:/.*)?$`);
}

/** The route a request goes to, if any: method and (already normalized) path, exactly. */
export function matchRoute(
  routes: readonly GatewayRoute[],
  method: string,
  path: string,
): GatewayRoute | undefined {
  return routes.find(
    (route) => (route.method === 'any' || route.method === method) && route.pattern.test(path),
  );
}

/**
 * A request target split into its normalized path (dot segments resolved, percent-encoding
 * kept, as Envoy normalizes before matching) and its query string (`?…` or empty).
 */
export function requestTarget(rawUrl: string): { path: string; search: string } {
  const url = new URL(rawUrl, 'http://gateway.invalid');
  return { path: url.pathname, search: url.search };
}

const CHART_VALUES = join(REPO_ROOT, 'charts', 'junction', 'values.yaml');

/** A Go/Envoy duration such as `15s`, `500ms` or `1m` in milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration such as 15s or 500ms`);
  const unit = { ms: 1, s: 1_000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
  return Number(match[1]) * unit;
}

/** The mesh's timeout for non-stream public routes: the chart's mesh.timeouts.http. */
export function meshHttpTimeoutMs(valuesYaml = readFileSync(CHART_VALUES, 'utf8')): number {
  const values = parse(valuesYaml) as { mesh?: { timeouts?: { http?: unknown } } } | null;
  const timeout = values?.mesh?.timeouts?.http;
  if (typeof timeout !== 'string') {
    throw new Error(`${CHART_VALUES}: mesh.timeouts.http is missing (the gateway's timeout)`);
  }
  return durationMs(timeout);
}

// Headers about one connection, which a proxy never passes on (RFC 9110 §7.6.1).
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
];

function withoutHopByHop<T extends Record<string, unknown>>(headers: T): T {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name.toLowerCase())),
  ) as T;
}

/** X-Forwarded-For with the client's address appended, as the ingress gateway's Envoy does. */
export function forwardedFor(existing: string | string[] | undefined, client: string): string {
  const before = Array.isArray(existing) ? existing.join(', ') : existing;
  return before ? `${before}, ${client}` : client;
}

/** What the client gets when the service does not answer: Envoy's statuses (503, 504). */
type FailedReply = Parameters<NonNullable<FastifyReplyFromHooks['onError']>>[0];

function upstreamFailure(reply: FailedReply, route: GatewayRoute, error: Error): void {
  const timedOut = (error as { statusCode?: number }).statusCode === 504;
  void reply
    .code(timedOut ? 504 : 503)
    .type('text/plain; charset=utf-8')
    .send(
      timedOut
        ? `upstream request timeout (${route.service})`
        : `upstream connect error: ${route.service} did not answer`,
    );
}

export interface GatewayOptions {
  /** Added to the gateway's port and to every service's port (see tools/local/topology.mts). */
  readonly portOffset?: number;
  /** Where to listen; `localhost` (the default) is 127.0.0.1 and ::1. Keep it loopback. */
  readonly host?: string;
  /** Listen here instead of gateway.port + portOffset (0: any free port). */
  readonly port?: number;
  /** Timeout of non-stream routes; default the chart's mesh.timeouts.http. */
  readonly timeoutMs?: number;
  /** The origin of a service's HTTP port; default http://127.0.0.1:<its port + offset>. */
  readonly upstream?: (service: string) => string;
}

export interface Gateway {
  /** e.g. http://localhost:8080 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The gateway's port did not bind (`code` EADDRINUSE: something else holds it). */
export class GatewayPortError extends Error {
  readonly port: number;
  readonly code: string | undefined;

  constructor(port: number, cause: unknown) {
    const code = (cause as { code?: string } | undefined)?.code;
    super(
      code === 'EADDRINUSE'
        ? `port ${String(port)} (the gateway) is already in use`
        : `the gateway could not listen on port ${String(port)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.port = port;
    this.code = code;
  }
}

/** Starts the local gateway in front of the services of a run with the same port offset. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const topology = loadTopology();
  const offset = options.portOffset ?? 0;
  const host = options.host ?? 'localhost';
  const port = options.port ?? topology.gateway.port + offset;
  const timeoutMs = options.timeoutMs ?? meshHttpTimeoutMs();
  const upstream =
    options.upstream ??
    ((service: string) =>
      `http://127.0.0.1:${String(topology.web[service] ? webPortOf(service, offset) : portsOf(service, offset).http)}`);
  const routes = gatewayRoutes(topology);
  const streams = new Set<ServerResponse>();

  // No body limit, parser or timeout of its own: bodies go through as streams, and only the
  // route decides how long a response may take.
  const app = Fastify({ logger: false, exposeHeadRoutes: false, requestTimeout: 0 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });
  await app.register(replyFrom, { disableCache: true, disableRequestLogging: true });

  const forward = (request: FastifyRequest, reply: FastifyReply): void => {
    const { path, search } = requestTarget(request.raw.url ?? '/');
    const route = matchRoute(routes, request.method, path);
    if (!route) {
      void reply.code(404).send();
      return;
    }
    if (route.stream) {
      streams.add(reply.raw);
      reply.raw.once('close', () => streams.delete(reply.raw));
    }
    void reply.from(`${upstream(route.service)}${path}${search}`, {
      timeout: route.stream ? 0 : timeoutMs,
      // Never sent twice by the gateway (a 503 GET is not retried either): that is the client's call.
      retryDelay: () => null,
      rewriteRequestHeaders: (original, headers) => ({
        ...headers,
        host: original.headers.host ?? headers.host,
        'x-forwarded-for': forwardedFor(original.headers['x-forwarded-for'], original.ip),
        'x-forwarded-proto': 'http',
      }),
      rewriteHeaders: (headers) => withoutHopByHop(headers),
      onError: (failed, { error }) => {
        upstreamFailure(failed, route, error);
      },
    });
  };
  app.all('*', forward);
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send();
  });

  // An open event stream would hold close() until its order ends: cut streams at once.
  app.addHook('preClose', (done) => {
    for (const response of streams) response.destroy();
    done();
  });

  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw new GatewayPortError(port, error);
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shown = host === 'localhost' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${String(bound)}`,
    port: bound,
    close: () => app.close(),
  };
}
