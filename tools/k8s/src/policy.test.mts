import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMesh, PROFILES, render } from './charts.mts';
import { LOAD_GENERATOR } from './load-generator.mts';
import { ofKind, type Workload, workloads } from './objects.mts';
import { config, loadSkaffold } from './skaffold.mts';
import { loadTopology } from '@junction/topology';
import { samplePath } from './mesh-calls.mts';
import { chartServices, chartWebApps } from './values.mts';

/** Istio's protocol selection by port name: <protocol>[-<suffix>]. */
const PROTOCOL_NAME =
  /^(http|http2|https|grpc|grpc-web|tcp|tls|mongo|mysql|redis|udp)(-[a-z0-9-]+)?$/;

interface Spec<T> {
  spec: T;
}
interface Rule {
  from?: { source: { principals?: string[] } }[];
  to?: { operation: { ports?: string[]; paths?: string[]; methods?: string[] } }[];
}
interface HttpRoute {
  name?: string;
  match?: { uri?: Record<string, string>; method?: { exact?: string }; port?: number }[];
  timeout?: string;
  retries?: { attempts: number };
  fault?: { delay?: { fixedDelay: string } };
}

const services = chartServices();
const webApps = chartWebApps();
const topology = loadTopology();

/**
 * The one documented exception to probes and PodDisruptionBudgets: the optional load generator.
 * It serves nothing (no port, no Service; checked below), so there is nothing for a readiness
 * probe to gate or a budget to keep available, and no endpoint a liveness probe could ask;
 * each of its rounds ends at the generator's own request and watch timeouts.
 */
const SERVES_NOTHING = [`Deployment/${LOAD_GENERATOR}`];
const servesTraffic = (w: Workload): boolean => !SERVES_NOTHING.includes(w.id);

function gatewayIdentity(): { namespace: string; serviceAccount: string } {
  const release = config(loadSkaffold(), 'istio').deploy?.helm?.releases?.find(
    (r) => r.remoteChart === 'gateway',
  );
  assert.ok(release?.namespace, 'skaffold.yaml installs no istio gateway');
  // The istio/gateway chart names its ServiceAccount after the release.
  return { namespace: release.namespace, serviceAccount: release.name };
}

describe('workload policy', () => {
  for (const profile of PROFILES) {
    const { all } = render(profile);
    const list = workloads(all);

    it(`${profile}: every container that serves has liveness, readiness and startup probes`, () => {
      for (const w of list.filter(servesTraffic)) {
        for (const c of w.containers) {
          for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
            assert.ok(c[probe], `${w.id} container ${c.name} has no ${probe}`);
          }
        }
      }
    });

    it(`${profile}: every container has cpu and memory requests and limits`, () => {
      for (const w of list) {
        for (const c of [...w.containers, ...(w.pod.initContainers ?? [])]) {
          for (const kind of ['requests', 'limits'] as const) {
            for (const resource of ['cpu', 'memory']) {
              assert.ok(
                c.resources?.[kind]?.[resource] !== undefined,
                `${w.id}/${c.name}: no ${kind}.${resource}`,
              );
            }
          }
        }
      }
    });

    it(`${profile}: every pod is non-root, read-only, capability-free, RuntimeDefault seccomp, /tmp on emptyDir`, () => {
      for (const w of list) {
        const psc = w.pod.securityContext;
        assert.ok(psc, `${w.id}: no pod securityContext`);
        assert.equal(psc.runAsNonRoot, true, `${w.id}: pod runAsNonRoot`);
        assert.equal(psc.seccompProfile?.type, 'RuntimeDefault', `${w.id}: pod seccomp`);
        for (const c of [...w.containers, ...(w.pod.initContainers ?? [])]) {
          const sc = c.securityContext;
          const where = `${w.id}/${c.name}`;
          assert.ok(sc, `${where}: no securityContext`);
          assert.equal(sc.runAsNonRoot, true, `${where}: runAsNonRoot`);
          assert.equal(sc.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
          assert.equal(sc.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation`);
          assert.deepEqual(sc.capabilities?.drop, ['ALL'], `${where}: capabilities.drop`);
          assert.equal(sc.seccompProfile?.type, 'RuntimeDefault', `${where}: seccompProfile`);
          assert.notEqual(sc.privileged, true, `${where}: privileged`);
        }
        for (const c of w.containers) {
          const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
          assert.ok(tmp, `${w.id}/${c.name}: nothing mounted at /tmp`);
          const volume = w.pod.volumes?.find((v) => v.name === tmp.name);
          assert.ok(volume?.emptyDir, `${w.id}/${c.name}: /tmp is not an emptyDir`);
        }
      }
    });

    it(`${profile}: every workload runs as its own, existing ServiceAccount`, () => {
      const accounts = new Set(
        ofKind(all, 'ServiceAccount').map(
          (sa) => `${sa.metadata.namespace ?? ''}/${sa.metadata.name}`,
        ),
      );
      const used = new Map<string, string>();
      for (const w of list) {
        const sa = w.pod.serviceAccountName;
        assert.ok(sa && sa !== 'default', `${w.id}: no own serviceAccountName`);
        assert.ok(
          accounts.has(`${w.object.metadata.namespace ?? ''}/${sa}`),
          `${w.id}: ServiceAccount ${sa} is not rendered`,
        );
        assert.equal(
          used.get(sa),
          undefined,
          `${w.id} shares ServiceAccount ${sa} with ${used.get(sa) ?? ''}`,
        );
        used.set(sa, w.id);
      }
    });

    it(`${profile}: container and Service ports are protocol-named and resolvable`, () => {
      for (const w of list) {
        for (const c of w.containers) {
          for (const p of c.ports ?? []) {
            assert.match(
              p.name ?? '',
              PROTOCOL_NAME,
              `${w.id}/${c.name}: port ${String(p.containerPort)} name`,
            );
          }
          const names = new Set((c.ports ?? []).map((p) => p.name));
          for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
            const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
            if (typeof port === 'string')
              assert.ok(names.has(port), `${w.id}/${c.name}: probe port ${port} undefined`);
          }
        }
      }
      for (const svc of ofKind<
        Spec<{
          selector?: Record<string, string>;
          ports: { name?: string; appProtocol?: string; targetPort?: string | number }[];
        }>
      >(all, 'Service')) {
        const backing = list.filter((w) =>
          Object.entries(svc.spec.selector ?? {}).every(([k, v]) => w.podMeta.labels?.[k] === v),
        );
        assert.equal(
          backing.length,
          1,
          `Service ${svc.metadata.name} selects ${String(backing.length)} workloads`,
        );
        const containerPorts = new Set(
          backing[0]!.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)),
        );
        for (const port of svc.spec.ports) {
          assert.match(port.name ?? '', PROTOCOL_NAME, `Service ${svc.metadata.name} port name`);
          assert.ok(
            port.appProtocol,
            `Service ${svc.metadata.name} port ${port.name ?? ''} has no appProtocol`,
          );
          if (typeof port.targetPort === 'string') {
            assert.ok(
              containerPorts.has(port.targetPort),
              `Service ${svc.metadata.name}: targetPort ${port.targetPort}`,
            );
          }
        }
      }
    });

    it(`${profile}: every workload that serves has a PodDisruptionBudget`, () => {
      const pdbs = ofKind<Spec<{ selector: { matchLabels: Record<string, string> } }>>(
        all,
        'PodDisruptionBudget',
      );
      for (const w of list.filter(servesTraffic)) {
        const covered = pdbs.some((pdb) =>
          Object.entries(pdb.spec.selector.matchLabels).every(
            ([k, v]) => w.podMeta.labels?.[k] === v,
          ),
        );
        assert.ok(covered, `${w.id} has no PodDisruptionBudget`);
      }
    });

    it(`${profile}: the workloads exempt from probes and budgets really serve nothing`, () => {
      const kubeServices = ofKind<Spec<{ selector?: Record<string, string> }>>(all, 'Service');
      for (const w of list.filter((candidate) => !servesTraffic(candidate))) {
        for (const c of w.containers)
          assert.deepEqual(c.ports ?? [], [], `${w.id}/${c.name} has ports`);
        for (const svc of kubeServices) {
          const selects = Object.entries(svc.spec.selector ?? {}).every(
            ([k, v]) => w.podMeta.labels?.[k] === v,
          );
          assert.ok(!selects, `Service ${svc.metadata.name} selects ${w.id}`);
        }
      }
    });
  }
});

describe('mesh policy', () => {
  const meshProfiles = PROFILES.filter(hasMesh);

  it('default: namespace-wide STRICT mTLS', () => {
    const pa = ofKind<Spec<{ mtls: { mode: string }; selector?: unknown }>>(
      render('default').app,
      'PeerAuthentication',
    );
    assert.equal(pa.length, 1);
    assert.equal(pa[0]!.spec.mtls.mode, 'STRICT');
    assert.equal(pa[0]!.spec.selector, undefined);
  });

  for (const profile of meshProfiles) {
    it(`${profile}: every AuthorizationPolicy names only service accounts that exist`, () => {
      const { all } = render(profile);
      const gateway = gatewayIdentity();
      const known = new Set([
        ...ofKind(all, 'ServiceAccount').map(
          (sa) => `cluster.local/ns/${sa.metadata.namespace ?? ''}/sa/${sa.metadata.name}`,
        ),
        `cluster.local/ns/${gateway.namespace}/sa/${gateway.serviceAccount}`,
      ]);
      const policies = ofKind<Spec<{ rules: Rule[]; action: string }>>(all, 'AuthorizationPolicy');
      // One per service and one per web app.
      assert.equal(policies.length, Object.keys(services).length + Object.keys(webApps).length);
      for (const policy of policies) {
        assert.equal(policy.spec.action, 'ALLOW');
        for (const rule of policy.spec.rules) {
          for (const from of rule.from ?? []) {
            for (const principal of from.source.principals ?? []) {
              assert.ok(
                known.has(principal),
                `AuthorizationPolicy ${policy.metadata.name}: unknown principal ${principal}`,
              );
            }
          }
        }
      }
    });
  }

  it('default: the sidecars retry no gRPC call (the client is the one layer that does), every route has a timeout', () => {
    const meshRoutes = ofKind<Spec<{ http: HttpRoute[]; gateways?: string[] }>>(
      render('default').app,
      'VirtualService',
    ).filter((vs) => vs.spec.gateways?.includes('mesh'));
    assert.deepEqual(
      meshRoutes.map((vs) => vs.metadata.name).sort(),
      Object.keys(services)
        .filter((name) => services[name]?.grpc)
        .sort(),
    );
    for (const vs of meshRoutes) {
      const methods = services[vs.metadata.name]?.grpc?.methods ?? [];
      const routed = vs.spec.http.map((route) => route.match?.[0]?.uri?.exact?.split('/').pop());
      for (const method of methods) {
        assert.ok(routed.includes(method.name), `${vs.metadata.name}/${method.name}: no route`);
      }
      for (const route of vs.spec.http) {
        const name = `${vs.metadata.name}/${route.name ?? ''}`;
        assert.ok(route.timeout, `${name}: no timeout`);
        // Explicitly 0: without it Istio retries (2 attempts) on top of the client's retry.
        assert.equal(route.retries?.attempts, 0, `${name}: retried by the sidecar`);
        assert.equal(route.fault, undefined, 'no faults without the mesh-faults profile');
      }
    }
  });

  it('default: the gateway retries only GETs and never times out the SSE stream', () => {
    const vs = ofKind<Spec<{ http: HttpRoute[]; gateways?: string[] }>>(
      render('default').app,
      'VirtualService',
    ).find((v) => v.spec.gateways?.includes('junction'));
    assert.ok(vs, 'no gateway VirtualService');
    for (const route of vs.spec.http) {
      const isGet = route.match?.every((m) => m.method?.exact === 'GET') ?? false;
      if (!isGet)
        assert.equal(route.retries?.attempts, 0, `${route.name ?? ''}: non-GET route retried`);
    }
    const sse = vs.spec.http.find((r) => r.match?.some((m) => m.uri?.regex?.includes('events')));
    assert.ok(sse, 'no SSE route');
    assert.equal(
      sse.timeout,
      undefined,
      'the SSE route must have no timeout (Istio: none by default)',
    );
    for (const route of vs.spec.http.filter((r) => r !== sse)) assert.ok(route.timeout, route.name);
  });

  it('default: the gateway routes exactly the public routes of topology.yaml and the web prefixes, each to its workload', () => {
    const vs = ofKind<
      Spec<{
        http: (HttpRoute & { route: { destination: { host: string } }[] })[];
        gateways?: string[];
      }>
    >(render('default').app, 'VirtualService').find((v) => v.spec.gateways?.includes('junction'));
    assert.ok(vs, 'no gateway VirtualService');
    // Envoy takes the first route one of whose matches matches (uri and, when set, method).
    const routed = (method: string, path: string) =>
      vs.spec.http.find((r) =>
        r.match?.some(
          (m) =>
            (m.method === undefined || m.method.exact === method) &&
            (m.uri?.exact === path ||
              (m.uri?.prefix !== undefined && path.startsWith(m.uri.prefix)) ||
              (m.uri?.regex !== undefined && new RegExp(m.uri.regex).test(path))),
        ),
      );
    const hostOf = (method: string, path: string) =>
      routed(method, path)?.route[0]?.destination.host ?? 'no route';
    const declared = Object.values(topology.services).flatMap((s) =>
      s.routes.map((r) => ({ service: s.name, method: r.method, path: samplePath(r) })),
    );
    for (const { service, method, path } of declared) {
      assert.match(hostOf(method, path), new RegExp(`^${service}\\.`), `${method} ${path}`);
    }
    for (const [name, app] of Object.entries(webApps)) {
      const bare = app.prefix.slice(0, -1);
      for (const [method, path] of [
        ['GET', app.prefix],
        ['GET', bare],
        ['GET', `${app.prefix}assets/index-1.js`],
        ['GET', `${app.prefix}orders/sample-1`],
        ['POST', `${app.prefix}otlp/v1/traces`],
        ['PUT', `${app.prefix}api/faults/payment`],
        ['DELETE', `${app.prefix}api/faults/inventory`],
      ] as const) {
        assert.match(hostOf(method, path), new RegExp(`^${name}\\.`), `${method} ${path}`);
      }
      assert.equal(
        routed('GET', `${bare}ping`),
        undefined,
        `${bare}ping is not under ${app.prefix}`,
      );
    }
    assert.equal(
      vs.spec.http.length,
      declared.length + Object.keys(webApps).length,
      'gateway routes beyond topology.yaml',
    );
    assert.equal(routed('GET', '/orders/a/b/events'), undefined);
    assert.equal(routed('GET', '/readyz'), undefined);
    assert.equal(routed('GET', '/healthz'), undefined);
  });

  it('mesh-faults: Envoy delays every call to payment, and only payment', () => {
    for (const vs of ofKind<Spec<{ http: HttpRoute[]; gateways?: string[] }>>(
      render('mesh-faults').app,
      'VirtualService',
    )) {
      const faulty = vs.spec.http.filter((r) => r.fault);
      if (vs.metadata.name === 'payment') {
        const methods = vs.spec.http.filter((r) => r.name !== 'default');
        assert.equal(faulty.length, methods.length);
        assert.equal(faulty[0]!.fault!.delay!.fixedDelay, '300ms');
      } else assert.equal(faulty.length, 0, `${vs.metadata.name} has faults`);
    }
  });

  it('no-mesh: no sidecars are injected into any pod', () => {
    for (const w of workloads(render('no-mesh').all)) {
      assert.equal(
        w.podMeta.labels?.['sidecar.istio.io/inject'],
        'false',
        `${w.id} would get a sidecar`,
      );
    }
  });

  it('default: services get native sidecars, infrastructure stays out of the mesh', () => {
    const { app, infra } = render('default');
    for (const w of workloads(app)) {
      assert.equal(w.podMeta.annotations?.['sidecar.istio.io/nativeSidecar'], 'true', w.id);
      assert.equal(w.podMeta.labels?.['sidecar.istio.io/inject'], undefined, w.id);
    }
    for (const w of workloads(infra))
      assert.equal(w.podMeta.labels?.['sidecar.istio.io/inject'], 'false', w.id);
  });
});
