import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTopology } from '@junction/topology';
import { helmTemplate, profileArgs, render } from './charts.mts';
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

  it('render one per gRPC service, one per web app (its egress) and none for the others', () => {
    const names = app.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    assert.deepEqual(
      names.sort(),
      [
        ...grpcServices.map((s) => `${s.name}-grpc-callers`),
        ...Object.keys(topology.web).map((name) => `${name}-egress`),
      ].sort(),
    );
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

  it("let the storefront out to DNS, the collector's OTLP/HTTP, Jaeger's query API and its demo panel's services only", () => {
    const { all } = render('no-mesh');
    const everything = new NetworkPolicies(all);
    const storefront = everything.labelsOf('storefront');
    const to = (workload: string, port: number) =>
      everything.verdict({ from: storefront, to: workload, port }).allowed;
    const dns = (protocol: 'TCP' | 'UDP') =>
      everything.egress(storefront, {
        labels: { 'k8s-app': 'kube-dns' },
        namespace: { 'kubernetes.io/metadata.name': 'kube-system' },
        port: 53,
        protocol,
      }).allowed;
    assert.ok(dns('UDP') && dns('TCP'), 'DNS');
    assert.ok(to('otel-collector', 4318), 'the collector, OTLP/HTTP');
    assert.ok(!to('otel-collector', 4317), 'the collector, OTLP/gRPC');
    assert.ok(to('jaeger', 16686), "Jaeger's query API");
    assert.ok(!to('jaeger', 4318), "Jaeger's OTLP");
    // cluster:up's values turn the demo panel on: payment's and inventory's HTTP (/admin/faults).
    for (const name of topology.web.storefront?.demo ?? []) {
      const s = topology.services[name];
      assert.ok(to(name, s?.http ?? 0), `${name} HTTP (the demo panel)`);
      if (s?.grpc) assert.ok(!to(name, s.grpc.port), `${name} gRPC`);
    }
    for (const name of ['auth', 'user', 'orders']) {
      assert.ok(!to(name, topology.services[name]?.http ?? 0), `${name} HTTP`);
    }
    assert.ok(!to('redis', 6379), 'Redis');
    assert.ok(!to('rabbitmq', 5672), 'RabbitMQ');
    assert.ok(
      !everything.egress(storefront, { labels: { app: 'elsewhere' }, port: 443 }).allowed,
      'anything else',
    );
  });

  it("keep the storefront off payment and inventory when its demo panel is off (the chart's default)", () => {
    const objects = [
      ...helmTemplate('junction', 'junction', 'junction', [
        ...profileArgs('no-mesh', 'junction'),
        '--set',
        'storefront.demoPanel=false',
      ]),
      ...render('no-mesh').infra,
    ];
    const off = new NetworkPolicies(objects);
    const storefront = off.labelsOf('storefront');
    for (const name of ['payment', 'inventory', 'orders']) {
      const port = topology.services[name]?.http ?? 0;
      assert.equal(off.verdict({ from: storefront, to: name, port }).allowed, false, name);
    }
    assert.ok(off.verdict({ from: storefront, to: 'otel-collector', port: 4318 }).allowed);
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

  it('lets a selected pod out only where an egress rule names the destination, its namespace and port', () => {
    const p = new NetworkPolicies([
      ...pods,
      policy({
        podSelector: { matchLabels: { app: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 2 }] },
          {
            to: [{ namespaceSelector: {}, podSelector: { matchLabels: { dns: 'yes' } } }],
            ports: [{ port: 53, protocol: 'UDP' }],
          },
        ],
      }),
    ]);
    assert.equal(p.verdict({ from: { app: 'a' }, to: 'b', port: 2 }).allowed, true);
    assert.equal(p.verdict({ from: { app: 'a' }, to: 'b', port: 3 }).allowed, false);
    assert.equal(p.verdict({ from: { app: 'b' }, to: 'a', port: 9 }).allowed, true);
    const dns = { labels: { dns: 'yes' }, namespace: { name: 'kube-system' }, port: 53 };
    assert.equal(p.egress({ app: 'a' }, { ...dns, protocol: 'UDP' }).allowed, true);
    assert.equal(p.egress({ app: 'a' }, { ...dns, protocol: 'TCP' }).allowed, false);
    // A podSelector alone names pods of the policy's own namespace only.
    assert.equal(
      p.egress({ app: 'a' }, { labels: { app: 'b' }, namespace: { name: 'other' }, port: 2 })
        .allowed,
      false,
    );
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
