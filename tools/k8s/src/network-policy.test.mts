import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTopology } from '@junction/topology';
import { render } from './charts.mts';
import { declaredCalls, describeCall } from './mesh-calls.mts';
import { NetworkPolicies } from './network-policy.mts';
import { type KubeObject } from './repo.mts';

const topology = loadTopology();
const grpcServices = Object.values(topology.services).filter((s) => s.grpc);

/** Who topology.yaml says calls `callee` over gRPC. */
const grpcCallersOf = (callee: string): string[] =>
  topology.calls.filter((c) => c.to === callee && c.grpc.length > 0).map((c) => c.from);

describe('NetworkPolicies without the mesh (no-mesh)', () => {
  const { app } = render('no-mesh');
  const policies = new NetworkPolicies(app);

  it('render one per gRPC service and none for the others', () => {
    const names = app.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    assert.deepEqual(names.sort(), grpcServices.map((s) => `${s.name}-grpc-callers`).sort());
  });

  it('admit every call topology.yaml declares, and every public route from outside', () => {
    const denied = declaredCalls(topology)
      .map((call) => ({
        call,
        verdict: policies.verdict({
          from: 'service' in call.caller ? policies.labelsOf(call.caller.service) : undefined,
          to: call.callee,
          port: call.port,
        }),
      }))
      .filter(({ verdict }) => !verdict.allowed)
      .map(({ call, verdict }) => `${describeCall(call)}: ${verdict.reason}`);
    assert.deepEqual(denied, []);
  });

  it("close each gRPC port to every pod but its callers', and to anything outside", () => {
    for (const callee of grpcServices) {
      const port = callee.grpc?.port ?? 0;
      const callers = grpcCallersOf(callee.name);
      for (const other of Object.keys(topology.services)) {
        const verdict = policies.verdict({ from: policies.labelsOf(other), to: callee.name, port });
        assert.equal(
          verdict.allowed,
          callers.includes(other),
          `${other} → ${callee.name}:${String(port)}`,
        );
      }
      assert.equal(policies.verdict({ from: undefined, to: callee.name, port }).allowed, false);
      assert.equal(
        policies.verdict({ from: undefined, to: callee.name, port: callee.http }).allowed,
        true,
        `${callee.name}'s HTTP port (probes, token-checked routes) stays open`,
      );
    }
  });

  it("keep the load generator (no-mesh,load) off every gRPC port, on auth's and orders' HTTP", () => {
    const { app: withLoad } = render('no-mesh,load');
    const loaded = new NetworkPolicies(withLoad);
    const generator = loaded.labelsOf('load-generator');
    for (const callee of grpcServices) {
      const port = callee.grpc?.port ?? 0;
      assert.equal(loaded.verdict({ from: generator, to: callee.name, port }).allowed, false);
    }
    for (const name of ['auth', 'orders']) {
      const port = topology.services[name]?.http ?? 0;
      assert.equal(loaded.verdict({ from: generator, to: name, port }).allowed, true, name);
    }
  });

  it('are not rendered with the mesh, whose AuthorizationPolicies admit callers per method', () => {
    assert.equal(new NetworkPolicies(render('default').app).count, 0);
  });
});

describe(NetworkPolicies.name, () => {
  const deployment = (name: string, labels: Record<string, string>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { metadata: { labels }, spec: { containers: [] } } },
  });
  const policy = (spec: unknown): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p' },
    spec,
  });
  const pods = [deployment('a', { app: 'a' }), deployment('b', { app: 'b' })];

  it('admits everything to a pod no policy selects', () => {
    const p = new NetworkPolicies([
      ...pods,
      policy({ podSelector: { matchLabels: { app: 'b' } }, ingress: [] }),
    ]);
    assert.equal(p.verdict({ from: undefined, to: 'a', port: 1 }).allowed, true);
    assert.equal(p.verdict({ from: { app: 'a' }, to: 'b', port: 1 }).allowed, false);
  });

  it('needs both the port and the source of one rule', () => {
    const p = new NetworkPolicies([
      ...pods,
      policy({
        podSelector: { matchLabels: { app: 'b' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 2 }] }],
      }),
    ]);
    assert.equal(p.verdict({ from: { app: 'a' }, to: 'b', port: 2 }).allowed, true);
    assert.equal(p.verdict({ from: { app: 'a' }, to: 'b', port: 3 }).allowed, false);
    assert.equal(p.verdict({ from: { app: 'c' }, to: 'b', port: 2 }).allowed, false);
  });

  it('refuses what it does not evaluate instead of guessing', () => {
    assert.throws(
      () =>
        new NetworkPolicies([
          ...pods,
          policy({
            podSelector: {},
            ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
          }),
        ]),
      /only same-namespace podSelector/,
    );
  });
});
