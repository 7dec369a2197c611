// topology.yaml held to the calls the services really make. The five services run with every call
// traced (JUNCTION_TRACE_ALL_CALLS: probes, health and reflection too) into an OTLP receiver; the
// test drives every public route and both checkout paths (and a failed charge, whose compensation
// releases and refunds), collects every client span (HTTP and gRPC: caller, callee, port, method,
// path) and every HTTP server span, and evaluates each call with Istio's semantics against the
// AuthorizationPolicies the chart renders (tools/k8s/src/authorization.mts): every observed call
// must be admitted, every declared edge must have been observed, every route a service served must
// be a declared public route — and removing any one edge from the declaration denies a call the
// services made.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadTopology, routePattern, type Topology } from '@junction/topology';
import { declaredCalls, describeCall, type MeshCall } from '../../tools/k8s/src/mesh-calls.mts';
import { meshPolicyFor, renderedMeshPolicy } from '../../tools/k8s/src/mesh-policy.mts';
import { type Span } from '../../tools/trace/otlp.mts';
import { Api, type Session } from './support/api.mts';
import { PORT_OFFSET, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { fault } from './support/fault.mts';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.mts';
import { type E2eTopology, startTracedE2eTopology } from './support/topology.mts';

const topology = loadTopology();

let receiver: OtlpReceiver;
let running: E2eTopology;
let api: Api;

/** The first of several attribute names that is set (old and new HTTP/RPC semantic conventions). */
function attribute(span: Span, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = span.attributes[name];
    if (value !== undefined && value !== '') return String(value);
  }
  return undefined;
}

/** The service that owns a (run-offset) port, with the port the mesh sees. */
function serviceAt(port: number): { service: string; port: number } | undefined {
  const declared = port - PORT_OFFSET;
  for (const s of Object.values(topology.services)) {
    if (s.http === declared || s.grpc?.port === declared)
      return { service: s.name, port: declared };
  }
  return undefined;
}

/** A client span as the destination's sidecar would see the call; undefined for non-service peers. */
function observedCall(span: Span): MeshCall | undefined {
  const port = Number(attribute(span, 'server.port', 'net.peer.port'));
  const callee = serviceAt(port);
  if (!callee) return undefined;
  const rpcService = attribute(span, 'rpc.service');
  if (rpcService) {
    const method = attribute(span, 'rpc.method') ?? '';
    return {
      caller: { service: span.service },
      callee: callee.service,
      port: callee.port,
      method: 'POST',
      path: `/${rpcService}/${method}`,
    };
  }
  const url = attribute(span, 'url.full', 'http.url');
  const method = attribute(span, 'http.request.method', 'http.method');
  if (!url || !method) return undefined;
  return {
    caller: { service: span.service },
    callee: callee.service,
    port: callee.port,
    method,
    path: new URL(url).pathname,
  };
}

const key = (call: MeshCall) => describeCall(call);

/** Whether an observed call is an instance of a declared one (same caller, callee, port, method, path). */
function instanceOf(observed: MeshCall, declared: MeshCall): boolean {
  return (
    describeCall({ ...observed, path: '' }) === describeCall({ ...declared, path: '' }) &&
    routePattern(declared.path.replace(/sample-1/g, '{x}')).test(observed.path)
  );
}

/** Every public route, both checkout paths, a declined card and a charge that fails (compensated). */
async function driveEverything(): Promise<void> {
  const session: Session = await api.newSession();
  const token = session.accessToken;
  const ok = async (service: string, method: string, path: string, body?: unknown) => {
    const reply = await api.request(service, method, path, { token, ...(body ? { body } : {}) });
    assert.ok(
      reply.status < 300,
      `${method} ${path}: ${String(reply.status)} ${JSON.stringify(reply.body)}`,
    );
    return reply;
  };
  await ok('auth', 'GET', '/.well-known/jwks.json');
  await ok('user', 'GET', '/users/me');
  await ok('inventory', 'GET', '/inventory/items');
  await ok('inventory', 'GET', '/inventory/items/JNC-MUG');
  const blocking = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'blocking' });
  assert.equal(blocking.body.status, 'confirmed', JSON.stringify(blocking.body));
  const declined = await api.placeOrder(session, {
    sku: 'JNC-MUG',
    mode: 'blocking',
    paymentMethod: 'pm_card_declined',
  });
  assert.equal(declined.body.status, 'rejected', JSON.stringify(declined.body));
  const queued = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'queued' });
  assert.equal(queued.status, 202);
  const stream = await api.streamEvents(session, queued.body.id);
  assert.equal(stream.events.at(-1)?.status, 'confirmed');
  await ok('orders', 'GET', '/orders');
  await ok('orders', 'GET', `/orders/${blocking.body.id}`);
  await ok('payment', 'GET', `/payments/${blocking.body.id}`);
  // A charge that fails: the blocking checkout undoes it (Release and Refund).
  await fault('payment', '--operation', 'charge', '--error-rate', '1');
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the services refresh faults each second
    const failed = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'blocking' });
    assert.notEqual(failed.body.status, 'confirmed', JSON.stringify(failed.body));
  } finally {
    await fault('payment', '--clear');
  }
  const refreshed = await ok('auth', 'POST', '/auth/refresh', {
    refreshToken: session.refreshToken,
  });
  const { refreshToken } = refreshed.body as { refreshToken: string };
  await ok('auth', 'POST', '/auth/logout', { refreshToken });
}

describe('the call graph of topology.yaml', () => {
  let spans: Span[] = [];
  let observed: MeshCall[] = [];

  before(async () => {
    await resetInfrastructure();
    receiver = await startOtlpReceiver();
    running = await startTracedE2eTopology(receiver.endpoint, { JUNCTION_TRACE_ALL_CALLS: 'true' });
    api = new Api(running);
    await driveEverything();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the last export batches
    spans = receiver.spans();
    const unique = new Map<string, MeshCall>();
    for (const span of spans.filter((s) => s.kind === 'CLIENT')) {
      const call = observedCall(span);
      if (call) unique.set(key(call), call);
    }
    observed = [...unique.values()];
  });

  after(async () => {
    await running.stop();
    await receiver.close();
    await removeInfrastructure();
  });

  it('saw the services call each other (the test itself can fail)', () => {
    assert.ok(
      observed.some((c) => c.path.endsWith('/Charge')),
      'no Charge call observed',
    );
    assert.ok(
      observed.some((c) => c.path === '/.well-known/jwks.json'),
      'no JWKS fetch observed',
    );
  });

  it('every call a service made is admitted by the rendered AuthorizationPolicies', () => {
    const policy = renderedMeshPolicy('default');
    const denied = observed.filter((call) => !policy.verdict(call).allowed);
    assert.deepEqual(
      denied.map((call) => `${describeCall(call)}: ${policy.verdict(call).reason}`),
      [],
      'calls the services make that the mesh would deny (declare them in topology.yaml)',
    );
  });

  it('every call between services that topology.yaml declares was made', () => {
    const declared = declaredCalls(topology).filter((call) => 'service' in call.caller);
    const unseen = declared.filter((d) => !observed.some((o) => instanceOf(o, d)));
    assert.deepEqual(
      unseen.map(describeCall),
      [],
      'declared but never made (remove or exercise them)',
    );
  });

  it('every route a service served is a declared public route, and every public route was served', () => {
    // Probes, and the operator's /admin/faults (the test sets a fault): neither is a public route.
    const probes = /^\/(healthz|readyz|statusz|admin\/faults)$/;
    const served = new Set<string>();
    for (const span of spans.filter((s) => s.kind === 'SERVER')) {
      const route = attribute(span, 'http.route');
      const method = attribute(span, 'http.request.method', 'http.method');
      if (!route || !method || probes.test(route)) continue;
      served.add(`${span.service} ${method} ${route.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
    const declared = new Set(
      Object.values(topology.services).flatMap((s) =>
        s.routes.map((r) => `${s.name} ${r.method} ${r.path}`),
      ),
    );
    assert.deepEqual(
      [...served].filter((r) => !declared.has(r)).sort(),
      [],
      'served but not declared',
    );
    assert.deepEqual(
      [...declared].filter((r) => !served.has(r)).sort(),
      [],
      'declared but not driven',
    );
  });

  it('denies a call the services made once any one edge is removed from the declaration', () => {
    for (const [i, removed] of topology.calls.entries()) {
      const without: Topology = { ...topology, calls: topology.calls.filter((_, j) => j !== i) };
      const policy = meshPolicyFor(without);
      const denied = observed.filter((call) => !policy.verdict(call).allowed);
      assert.ok(
        denied.length > 0,
        `without ${removed.from} → ${removed.to}, every observed call is still admitted`,
      );
      assert.ok(
        denied.every((call) => 'service' in call.caller && call.caller.service === removed.from),
      );
    }
  });
});
