import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTopology, type Topology } from '@junction/topology';
import { pathMatches } from './authorization.mts';
import { hasMesh, PROFILES } from './charts.mts';
import { declaredCalls, describeCall, type MeshCall, type MeshPolicy } from './mesh-calls.mts';
import { meshPolicyFor, renderedMeshPolicy } from './mesh-policy.mts';

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

describe('URI templates in policy paths', () => {
  it('matches {*} as exactly one segment, ignoring the query string', () => {
    assert.ok(pathMatches('/orders/{*}/events', '/orders/abc/events?x=1'));
    assert.ok(!pathMatches('/orders/{*}/events', '/orders/a/b/events'));
    assert.ok(!pathMatches('/orders/{*}', '/orders/'));
    assert.ok(pathMatches('/orders', '/orders?limit=5'));
    assert.ok(pathMatches('/auth/*', '/auth/login'));
  });
});
