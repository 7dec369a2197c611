import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTopology, type Topology } from '@junction/topology';
import { pathMatches } from './authorization.mts';
import { hasMesh, helmTemplate, PROFILES, profileArgs, render } from './charts.mts';
import { declaredCalls, describeCall, MeshPolicy, type MeshCall } from './mesh-calls.mts';
import { gatewayIdentity, meshPolicyFor, renderedMeshPolicy } from './mesh-policy.mts';

const topology = loadTopology();

const grpc = (callee: string, method: string): Pick<MeshCall, 'callee' | 'port' | 'path'> => {
  const api = topology.services[callee]?.grpc;
  assert.ok(api, `${callee} serves no gRPC`);
  return { callee, port: api.port, path: `/${api.service}/${method}` };
};
const http = (callee: string, routePath: string): Pick<MeshCall, 'callee' | 'port' | 'path'> => ({
  callee,
  port: topology.services[callee]?.http ?? 0,
  path: routePath,
});

/** Calls that must never be admitted, whatever else changes. */
function forbiddenCalls(): MeshCall[] {
  const intruder = {
    principal: 'cluster.local/ns/junction/sa/intruder',
    label: 'an unknown principal',
  };
  const plaintext = { label: 'a caller without mTLS' };
  const calls: MeshCall[] = [
    { caller: { service: 'payment' }, method: 'POST', ...grpc('inventory', 'Reserve') },
    { caller: { service: 'inventory' }, method: 'POST', ...grpc('payment', 'Charge') },
    { caller: { service: 'orders' }, method: 'POST', ...grpc('user', 'CreateUser') },
    { caller: { service: 'auth' }, method: 'POST', ...grpc('user', 'GetUser') },
    { caller: { service: 'orders' }, method: 'POST', ...grpc('inventory', 'GetItem') },
    // The JWKS path, but not with GET, and not on another port.
    { caller: { service: 'orders' }, method: 'POST', ...http('auth', '/.well-known/jwks.json') },
    // Readiness and diagnostics are for the kubelet (rewritten probes) and operators, not callers.
    { caller: { gateway: true }, method: 'GET', ...http('orders', '/readyz') },
    { caller: { gateway: true }, method: 'GET', ...http('orders', '/statusz') },
    // The operator's fault endpoint is reached on the pod (port-forward), never through the mesh.
    { caller: { gateway: true }, method: 'PUT', ...http('payment', '/admin/faults') },
    { caller: { service: 'orders' }, method: 'PUT', ...http('inventory', '/admin/faults') },
    // A route that exists, with a method that does not.
    { caller: { gateway: true }, method: 'DELETE', ...http('orders', '/orders/sample-1') },
    { caller: { gateway: true }, method: 'GET', ...http('orders', '/orders/a/b/events') },
  ];
  for (const service of Object.keys(topology.services)) {
    // Nobody but the gateway reaches auth's login or register: a service never logs in as a user.
    if (service !== 'auth') {
      calls.push({ caller: { service }, method: 'POST', ...http('auth', '/auth/login') });
      calls.push({ caller: { service }, method: 'POST', ...http('auth', '/auth/register') });
    }
  }
  for (const s of Object.values(topology.services)) {
    // The gateway reaches no gRPC port.
    for (const method of Object.keys(s.grpc?.methods ?? {})) {
      calls.push({ caller: { gateway: true }, method: 'POST', ...grpc(s.name, method) });
    }
  }
  for (const call of declaredCalls(topology)) {
    calls.push({ ...call, caller: intruder }, { ...call, caller: plaintext });
  }
  return calls;
}

function assertAdmitted(policy: MeshPolicy, calls: readonly MeshCall[], where: string): void {
  const denied = calls
    .map((call) => ({ call, verdict: policy.verdict(call) }))
    .filter(({ verdict }) => !verdict.allowed);
  assert.deepEqual(
    denied.map(({ call, verdict }) => `${describeCall(call)}: ${verdict.reason}`),
    [],
    `${where}: declared calls the mesh would deny`,
  );
}

describe('the mesh policy against topology.yaml', () => {
  for (const profile of PROFILES.filter(hasMesh)) {
    const policy = renderedMeshPolicy(profile);

    it(`${profile}: admits every call topology.yaml declares and every public route from the gateway`, () => {
      assertAdmitted(policy, declaredCalls(topology), profile);
    });

    it(`${profile}: denies every call that must never be admitted`, () => {
      const admitted = forbiddenCalls().filter((call) => policy.verdict(call).allowed);
      assert.deepEqual(admitted.map(describeCall), [], 'admitted although forbidden');
    });
  }

  it('denies a declared call again once its edge is removed from the declaration', () => {
    for (const [i, removed] of topology.calls.entries()) {
      const without: Topology = { ...topology, calls: topology.calls.filter((_, j) => j !== i) };
      const policy = meshPolicyFor(without);
      const gone = declaredCalls({ ...topology, calls: [removed] }).filter(
        (call) => 'service' in call.caller,
      );
      assert.ok(gone.length > 0);
      for (const call of gone) {
        assert.equal(policy.verdict(call).allowed, false, `still admitted: ${describeCall(call)}`);
      }
      assertAdmitted(policy, declaredCalls(without), `without calls[${String(i)}]`);
    }
  });
});

describe("the storefront's edges in the mesh", () => {
  const app = topology.web.storefront;
  assert.ok(app, 'topology.yaml declares the storefront');
  const bare = app.prefix.slice(0, -1);
  const storefront = { service: 'storefront' } as const;
  const toStorefront = (method: string, path: string): MeshCall => ({
    caller: { gateway: true },
    callee: 'storefront',
    port: app.http,
    method,
    path,
  });
  const faults = (callee: string, method: string): MeshCall => ({
    caller: storefront,
    method,
    ...http(callee, '/admin/faults'),
  });
  /** Everything the storefront could try on the services besides its demo panel's calls. */
  const beyondTheDemo = (): MeshCall[] => {
    const calls: MeshCall[] = [];
    for (const s of Object.values(topology.services)) {
      for (const route of s.routes) {
        calls.push({ caller: storefront, method: route.method, ...http(s.name, route.path) });
      }
      for (const method of Object.keys(s.grpc?.methods ?? {})) {
        calls.push({ caller: storefront, method: 'POST', ...grpc(s.name, method) });
      }
      calls.push({ caller: storefront, method: 'GET', ...http(s.name, '/statusz') });
      calls.push({ caller: storefront, method: 'POST', ...http(s.name, '/admin/faults') });
      if (!app.demo.includes(s.name)) calls.push(faults(s.name, 'PUT'));
    }
    calls.push({ caller: storefront, method: 'GET', ...http('auth', '/.well-known/jwks.json') });
    return calls;
  };

  for (const profile of PROFILES.filter(hasMesh)) {
    const policy = renderedMeshPolicy(profile);

    it(`${profile}: the gateway reaches the storefront with any method under ${app.prefix}, and at ${bare}`, () => {
      assertAdmitted(
        policy,
        [
          toStorefront('GET', app.prefix),
          toStorefront('GET', bare),
          toStorefront('GET', `${app.prefix}assets/index-1a2b.js`),
          toStorefront('GET', `${app.prefix}orders/sample-1?x=1`),
          toStorefront('GET', `${app.prefix}config.json`),
          toStorefront('POST', `${app.prefix}otlp/v1/traces`),
          toStorefront('GET', `${app.prefix}api/traces/${'a'.repeat(32)}`),
          toStorefront('PUT', `${app.prefix}api/faults/payment`),
          toStorefront('DELETE', `${app.prefix}api/faults/inventory`),
        ],
        profile,
      );
    });

    it(`${profile}: nothing else reaches the storefront: not outside ${app.prefix}, nor from a service`, () => {
      const denied: MeshCall[] = [
        toStorefront('GET', '/readyz'),
        toStorefront('GET', '/healthz'),
        toStorefront('GET', `${bare}ping`),
        toStorefront('GET', '/orders'),
        { ...toStorefront('GET', app.prefix), port: app.http + 1 },
        { ...toStorefront('GET', app.prefix), caller: { label: 'a caller without mTLS' } },
        ...Object.keys(topology.services).map((service): MeshCall => ({
          ...toStorefront('GET', app.prefix),
          caller: { service },
        })),
      ];
      const admitted = denied.filter((call) => policy.verdict(call).allowed);
      assert.deepEqual(admitted.map(describeCall), []);
    });

    it(`${profile}: the storefront reaches nothing of the services but its demo panel's /admin/faults`, () => {
      const admitted = beyondTheDemo().filter((call) => policy.verdict(call).allowed);
      assert.deepEqual(
        admitted.map(describeCall),
        [],
        'the browser calls the API, not the storefront',
      );
    });

    it(`${profile}: with the demo panel on (cluster:up), the storefront sets ${app.demo.join(' and ')}'s faults`, () => {
      assertAdmitted(
        policy,
        app.demo.flatMap((callee) => ['GET', 'PUT', 'DELETE'].map((m) => faults(callee, m))),
        profile,
      );
    });
  }

  it('with the demo panel off (the chart default), the storefront reaches no /admin/faults', () => {
    const objects = helmTemplate('junction', 'junction', 'junction', [
      ...profileArgs('default', 'junction'),
      '--set',
      'storefront.demoPanel=false',
    ]);
    const off = new MeshPolicy(objects, gatewayIdentity());
    for (const callee of app.demo) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const call = faults(callee, method);
        assert.equal(off.verdict(call).allowed, false, describeCall(call));
      }
    }
    const admitted = beyondTheDemo().filter((call) => off.verdict(call).allowed);
    assert.deepEqual(admitted.map(describeCall), []);
    assertAdmitted(off, [toStorefront('GET', app.prefix)], 'demo panel off');
  });

  it("reaches the collector's OTLP/HTTP port and Jaeger's query port (outside the mesh: no policy holds them)", () => {
    const { all } = render('default');
    const mesh = new MeshPolicy(all, gatewayIdentity());
    const config =
      (
        all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'storefront-config') as
          { data?: Record<string, string> } | undefined
      )?.data ?? {};
    const otlp = new URL(config.OTLP_TRACES_URL ?? '');
    const jaeger = new URL(config.JAEGER_QUERY_URL ?? '');
    assert.equal(otlp.pathname, '/v1/traces');
    assert.deepEqual([otlp.hostname, jaeger.hostname], ['otel-collector', 'jaeger']);
    for (const call of [
      {
        caller: storefront,
        callee: 'otel-collector',
        port: Number(otlp.port),
        method: 'POST',
        path: otlp.pathname,
      },
      {
        caller: storefront,
        callee: 'jaeger',
        port: Number(jaeger.port),
        method: 'GET',
        path: `/api/v3/traces/${'a'.repeat(32)}`,
      },
    ]) {
      assert.ok(mesh.verdict(call).allowed, `${describeCall(call)}: ${mesh.verdict(call).reason}`);
    }
  });
});

describe('URI templates in policy paths', () => {
  it('matches {*} as exactly one segment, ignoring the query string', () => {
    assert.ok(pathMatches('/orders/{*}/events', '/orders/abc/events?x=1'));
    assert.ok(!pathMatches('/orders/{*}/events', '/orders/a/b/events'));
    assert.ok(!pathMatches('/orders/{*}', '/orders/'));
    assert.ok(pathMatches('/orders', '/orders?limit=5'));
    assert.ok(pathMatches('/auth/*', '/auth/login'));
  });
});
