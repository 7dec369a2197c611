// The sidecars must not trace the apps' own OTLP exports: every export POST to the collector,
// traced by the client's Envoy, would start a trace of its own and bury the checkouts in Jaeger.
// The apps' pods exclude the OTLP port from the sidecar's capture
// (traffic.sidecar.istio.io/excludeOutboundPorts), so those requests never reach Envoy; the
// collector must then take plaintext from outside the mesh. Checked on the charts as skaffold
// renders them, under every profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMesh, helmTemplate, PROFILES, profileArgs, render } from './charts.mts';
import { LOAD_GENERATOR } from './load-generator.mts';
import { ofKind, type Workload, workloads } from './objects.mts';
import type { KubeObject } from './repo.mts';

const EXCLUDE = 'traffic.sidecar.istio.io/excludeOutboundPorts';

const hasSidecar = (w: Workload): boolean =>
  w.podMeta.labels?.['sidecar.istio.io/inject'] !== 'false' &&
  w.podMeta.annotations?.['sidecar.istio.io/inject'] !== 'false';

/** The services' and web apps' workloads (the load generator has no sidecar and exports nothing). */
const services = (objects: KubeObject[]): Workload[] =>
  workloads(objects).filter((w) => w.object.metadata.name !== LOAD_GENERATOR);

/**
 * Where a workload sends its OTLP, from the ConfigMap the Deployment reads: a service's SDK
 * endpoint, or the storefront's relay of the browser's spans (OTLP_TRACES_URL).
 */
function otlpEndpoint(objects: KubeObject[], w: Workload): URL {
  const maps = new Set(
    w.containers.flatMap((c) => (c.envFrom ?? []).map((e) => e.configMapRef?.name ?? '')),
  );
  const endpoint = ofKind<{ data?: Record<string, string> }>(objects, 'ConfigMap')
    .filter((m) => maps.has(m.metadata.name))
    .map((m) => m.data?.OTEL_EXPORTER_OTLP_ENDPOINT ?? m.data?.OTLP_TRACES_URL)
    .find((e) => e !== undefined);
  assert.ok(endpoint, `${w.id} reads no OTEL_EXPORTER_OTLP_ENDPOINT (nor OTLP_TRACES_URL)`);
  return new URL(endpoint);
}

const portOf = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

const excluded = (w: Workload): number[] =>
  (w.podMeta.annotations?.[EXCLUDE] ?? '')
    .split(',')
    .filter((p) => p.trim() !== '')
    .map(Number);

/** The workloads behind a Service name (short or FQDN) as seen from `namespace`. */
function behind(objects: KubeObject[], host: string, namespace: string): Workload[] {
  const [name, ns = namespace] = host.split('.');
  const service = ofKind<{ spec: { selector?: Record<string, string> } }>(objects, 'Service').find(
    (s) => s.metadata.name === name && (s.metadata.namespace ?? namespace) === ns,
  );
  assert.ok(service, `no Service ${host}`);
  const selector = Object.entries(service.spec.selector ?? {});
  return workloads(objects).filter(
    (w) =>
      (w.object.metadata.namespace ?? namespace) === ns &&
      selector.every(([k, v]) => w.podMeta.labels?.[k] === v),
  );
}

/** Whether a PeerAuthentication lets plaintext reach `port` of a sidecar'd workload. */
function plaintextAllowed(objects: KubeObject[], w: Workload, port: number): boolean {
  type Peer = {
    spec: {
      selector?: { matchLabels?: Record<string, string> };
      mtls?: { mode?: string };
      portLevelMtls?: Record<string, { mode?: string }>;
    };
  };
  const applying = ofKind<Peer>(objects, 'PeerAuthentication').filter((p) =>
    Object.entries(p.spec.selector?.matchLabels ?? {}).every(
      ([k, v]) => w.podMeta.labels?.[k] === v,
    ),
  );
  const open = (mode?: string): boolean => mode === 'PERMISSIVE' || mode === 'DISABLE';
  return applying.some(
    (p) => open(p.spec.portLevelMtls?.[String(port)]?.mode) || open(p.spec.mtls?.mode),
  );
}

describe('mesh tracing of the OTLP exports', () => {
  for (const profile of PROFILES.filter(hasMesh)) {
    it(`${profile}: every service's and web app's sidecar lets its OTLP exports past, and nothing else`, () => {
      const { app } = render(profile);
      const sidecars = services(app).filter(hasSidecar);
      assert.ok(sidecars.length >= 6, `${String(sidecars.length)} workloads with a sidecar`);
      assert.ok(
        sidecars.some((w) => w.object.metadata.name === 'storefront'),
        'the storefront',
      );
      for (const w of sidecars) {
        const otlp = portOf(otlpEndpoint(app, w));
        // Only the OTLP port: peer gRPC, Redis and AMQP stay in the mesh (and in its traces).
        assert.deepEqual(excluded(w), [otlp], `${w.id} ${EXCLUDE}`);
      }
    });

    it(`${profile}: the collector takes plaintext from outside the mesh on the OTLP port`, () => {
      const { app, all } = render(profile);
      for (const w of services(app).filter(hasSidecar)) {
        const url = otlpEndpoint(app, w);
        const collectors = behind(all, url.hostname, w.object.metadata.namespace ?? 'junction');
        assert.ok(collectors.length > 0, `nothing behind ${url.hostname}`);
        for (const c of collectors)
          assert.ok(
            !hasSidecar(c) || plaintextAllowed(all, c, portOf(url)),
            `${c.id} has a sidecar that would refuse ${w.id}'s plaintext OTLP (STRICT mTLS)`,
          );
      }
    });
  }

  it('follows infra.otlpEndpoint: the excluded port is the one the services and web apps export to', () => {
    const objects = helmTemplate('junction', 'junction', 'junction', [
      ...profileArgs('default', 'junction'),
      '--set',
      'infra.otlpEndpoint=http://collector.observability:14318',
    ]);
    for (const w of services(objects).filter(hasSidecar)) {
      assert.equal(otlpEndpoint(objects, w).port, '14318');
      assert.deepEqual(excluded(w), [14318], w.id);
    }
  });

  it('puts no capture exclusion on pods without a sidecar (no-mesh)', () => {
    const { app } = render('no-mesh');
    for (const w of services(app)) {
      assert.ok(!hasSidecar(w), `${w.id} has a sidecar without the mesh`);
      assert.equal(w.podMeta.annotations?.[EXCLUDE], undefined, w.id);
    }
  });
});
