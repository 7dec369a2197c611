// What `npm run topology:generate [-- --check]` (cli.mts) writes: what is derived from
// topology.yaml and committed: the `services` and `web` blocks of the Helm values, the service-
// and web-app-name enums of the values schema, skaffold's `app` config (artifacts, image values,
// the demo panel's values, per-service profile patches and port-forwards), the contracts lib's gRPC services, retryable methods and broker topology,
// the broker topology the chart's RabbitMQ loads at boot, each service's Redis ACL and broker
// permissions (access.mts), and README's ports table.
// --check writes nothing and fails, naming the files, when any of them would change.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { stringify } from 'yaml';
import { serviceAccess } from './access.mts';
import { brokerTopology, rabbitmqDefinitions } from './broker.mts';
import {
  grpcCallersOf,
  grpcPeersOf,
  grpcTargetEnv,
  httpCallersOf,
  loadTopology,
  REPO_ROOT,
  type Route,
  type Topology,
} from './topology.mts';

export const VALUES_FILE = 'charts/junction/values.yaml';
export const SCHEMA_FILE = 'charts/junction/values.schema.json';
export const SKAFFOLD_FILE = 'skaffold.yaml';
export const CONTRACTS_FILE = 'libs/contracts/src/topology.ts';
export const README_FILE = 'README.md';
export const BROKER_DEFINITIONS_FILE = 'charts/junction-infra/files/rabbitmq-topology.json';
export const ACCESS_FILE = 'charts/junction-infra/files/service-access.json';

const BEGIN = '# BEGIN services: generated from topology.yaml by `npm run topology:generate`.';
const END = '# END services';
const WEB_BEGIN = '# BEGIN web: generated from topology.yaml by `npm run topology:generate`.';
const WEB_END = '# END web';
const APP_CONFIG = 'app';

/** The chart's `services` values of one service: what the templates need, nothing else. */
function chartService(topology: Topology, name: string): Record<string, unknown> {
  const s = topology.services[name];
  if (!s) throw new Error(`unknown service ${name}`);
  const httpCallers = [...httpCallersOf(topology, name)].map(([route, callers]) => {
    const [method, routePath] = route.split(' ');
    return { method, path: routePath, callers };
  });
  const grpcClients = Object.fromEntries(
    grpcPeersOf(topology, name).map((peer) => [grpcTargetEnv(peer), peer]),
  );
  return {
    image: { repository: `junction-${name}` },
    httpPort: s.http,
    redis: s.redis,
    rabbitmq: s.rabbitmq,
    jwtSigner: s.tokens === 'sign',
    verifiesTokens: s.tokens === 'verify',
    publicRoutes: s.routes.map((r) => ({
      method: r.method,
      path: r.path,
      ...(r.stream ? { stream: true } : {}),
    })),
    // Always present, so a values file generated from another topology replaces them entirely.
    httpCallers,
    grpcClients,
    ...(s.faults ? { faults: { enabled: false, latencyMs: 0, errorRate: 0 } } : {}),
    ...(s.grpc
      ? {
          grpc: {
            port: s.grpc.port,
            service: s.grpc.service,
            methods: Object.entries(s.grpc.methods).map(([method, { idempotent }]) => ({
              name: method,
              idempotent,
              callers: grpcCallersOf(topology, name, method),
            })),
          },
        }
      : {}),
  };
}

/** The `services` values of every service of `topology`. */
export function chartServices(topology: Topology): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.keys(topology.services).map((name) => [name, chartService(topology, name)]),
  );
}

function valuesBlock(topology: Topology): string {
  const services = chartServices(topology);
  return `${BEGIN}\n# Edit topology.yaml, not this block. Per-service settings (replicas, resources, image tag,\n# faults, extraEnv) are overridden at install time: --set services.<name>.<key>=...\n${stringify({ services })}${END}`;
}

/**
 * The chart's `web` values: each browser app's port, path prefix and the services its demo panel
 * reaches (their /admin/faults), which the templates turn into routes and policies. Its
 * deployment settings (image, replicas, demoPanel) are hand-written values under its name.
 */
export function chartWebApps(topology: Topology): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.values(topology.web).map((app) => [
      app.name,
      { httpPort: app.http, prefix: app.prefix, demo: [...app.demo] },
    ]),
  );
}

function webBlock(topology: Topology): string {
  const web = chartWebApps(topology);
  return `${WEB_BEGIN}\n# Edit topology.yaml, not this block; each app's own settings are under its name (below).\n${stringify({ web })}${WEB_END}`;
}

function replaceBetweenMarkers(
  text: string,
  block: string,
  file: string,
  [begin, end] = [BEGIN, END],
): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${file}: no "${begin}" … "${end}" block`);
  return text.slice(0, start) + block + text.slice(stop + end.length);
}

const README_BEGIN =
  '<!-- BEGIN ports: generated from topology.yaml by `npm run topology:generate` -->';
const README_END = '<!-- END ports -->';

/** A route as README writes it: `GET /orders/:id/events` (SSE). */
function readmeRoute(route: Route): string {
  const text = `\`${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}\``;
  return route.stream ? `${text} (SSE)` : text;
}

/** README's ports table: the gateway, then one row per service (prettier aligns it). */
function readmePorts(topology: Topology): string {
  const grpcCell = (name: string): string => {
    const api = topology.services[name]?.grpc;
    if (api) return `${String(api.port)} \`${api.service}\``;
    const peers = grpcPeersOf(topology, name);
    return peers.length > 0 ? `— (client of ${peers.join(' and ')})` : '—';
  };
  const rows = [
    [
      'service',
      'HTTP (REST, `/healthz`, `/readyz`)',
      'gRPC (with `grpc.health.v1` and reflection)',
      'public REST routes',
    ],
    ['---', '---', '---', '---'],
    [
      'gateway',
      `${String(topology.gateway.port)}, the public URL (no \`/readyz\`)`,
      '—',
      'every route below, exactly, and each web prefix (`topology.yaml`); anything else is a 404',
    ],
    ...Object.values(topology.services).map((s) => [
      s.name,
      String(s.http),
      grpcCell(s.name),
      s.routes.length > 0 ? s.routes.map(readmeRoute).join(', ') : '—',
    ]),
    ...Object.values(topology.web).map((app) => [
      `${app.name} (web/)`,
      String(app.http),
      '—',
      `every method under \`${app.prefix}\` (its pages, OTLP relay and proxies)`,
    ]),
  ];
  const table = rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  return `${README_BEGIN}\n\n${table}\n\n${README_END}`;
}

/** The schema with its name enums set to the topology's services and web apps (the rest as it is). */
function schemaWithNames(text: string, topology: Topology): string {
  let schema = text;
  for (const [definition, names] of [
    ['serviceName', Object.keys(topology.services)],
    ['webAppName', Object.keys(topology.web)],
  ] as const) {
    const enumOf = new RegExp(`("${definition}":\\s*\\{[^}]*?"enum":\\s*)\\[[^\\]]*\\]`);
    if (!enumOf.test(schema)) throw new Error(`${SCHEMA_FILE}: no definitions.${definition}.enum`);
    schema = schema.replace(enumOf, `$1${JSON.stringify(names)}`);
  }
  return schema;
}

const skaffoldRef = (name: string) => `junction_${name.replace(/-/g, '_')}`;

/** skaffold's `app` config: every per-service line of it comes from the topology. */
function appConfig(topology: Topology, apiVersion: string): string {
  const names = Object.keys(topology.services);
  const apps = Object.values(topology.web);
  // The web apps after the services, so the dev profile's patches keep the services' indices (a
  // web app's image has no dev stage: it is rebuilt on change).
  const artifacts = [
    ...names.map((name) => ({
      image: `junction-${name}`,
      context: '.',
      docker: { dockerfile: 'Dockerfile', target: 'runtime', buildArgs: { SERVICE: name } },
    })),
    ...apps.map((app) => ({
      image: `junction-${app.name}`,
      context: '.',
      docker: { dockerfile: 'Dockerfile', target: app.name },
    })),
  ];
  const imageValues = (key: string, image: string): [string, string][] => [
    [`${key}.image.repository`, `{{.IMAGE_REPO_${skaffoldRef(image)}}}`],
    [`${key}.image.tag`, `{{.IMAGE_TAG_${skaffoldRef(image)}}}`],
  ];
  const setValueTemplates = Object.fromEntries([
    ...names.flatMap((name) => imageValues(`services.${name}`, name)),
    ...apps.flatMap((app) => imageValues(app.name, app.name)),
  ]);
  // The local cluster is the lab, as npm start is: each app's demo panel on, and the fault
  // injection of the services it sets (their /admin/faults is off without it).
  const demoValues = Object.fromEntries(
    apps
      .filter((app) => app.demo.length > 0)
      .flatMap((app): [string, boolean][] => [
        [`${app.name}.demoPanel`, true],
        ...app.demo.map((target): [string, boolean] => [`services.${target}.faults.enabled`, true]),
      ]),
  );
  const forward = (
    resourceType: string,
    resourceName: string,
    port: number,
    localPort: number,
  ) => ({
    resourceType,
    resourceName,
    namespace: 'junction',
    port,
    localPort,
  });
  // Flow-style lines, one per patch, as a person would write them.
  const devPatches = [
    ...names.map(
      (_, i) =>
        `      - { op: replace, path: /build/artifacts/${String(i)}/docker/target, value: dev }`,
    ),
    ...names.map((_, i) =>
      i === 0
        ? `      - op: add
        path: /build/artifacts/0/sync
        value: &sync
          manual:
            - { src: 'services/*/src/**/*.ts', dest: /workspace }
            - { src: 'libs/*/src/**/*.ts', dest: /workspace }`
        : `      - { op: add, path: /build/artifacts/${String(i)}/sync, value: *sync }`,
    ),
    '      - { op: add, path: /deploy/helm/releases/0/setValues/devMode.enabled, value: true }',
  ].join('\n');
  const gatewayForward = {
    ...forward('service', 'istio-ingressgateway', 80, topology.gateway.port),
    namespace: 'istio-ingress',
  };
  const yaml = (value: unknown, indent: number) =>
    stringify(value, { lineWidth: 0 })
      .trimEnd()
      .split('\n')
      .map((line) => ' '.repeat(indent) + line)
      .join('\n');
  return `# Generated from topology.yaml by \`npm run topology:generate\` (tools/topology/generate.mts):
# edit those, not this document. The services' and web apps' images, their chart values (the demo
# panel on, as in npm start), and the profiles' per-service patches and port-forwards.
apiVersion: ${apiVersion}
kind: Config
metadata:
  name: ${APP_CONFIG}
requires:
  - configs: [infra]
build:
  local:
    push: false
    useBuildkit: true
    concurrency: 1
  tagPolicy:
    inputDigest: {}
  artifacts:
${yaml(artifacts, 4)}
deploy:
  helm:
    releases:
      - name: junction
        chartPath: charts/junction
        namespace: junction
        wait: true
        setValueTemplates:
${yaml(setValueTemplates, 10)}
        setValues:
${yaml({ 'mesh.enabled': true, ...demoValues }, 10)}
# The Istio ingress gateway on the port of \`npm start\`'s gateway: one set of URLs serves both.
portForward:
${yaml([gatewayForward], 2)}
profiles:
  # Inner loop: TypeScript changes are synced into the running pods and rebuilt there by
  # \`tsc --watch\` + \`node --watch\` (no image rebuild). Changing package.json rebuilds the image.
  - name: dev
    patches:
${devPatches}
  # Small laptops: no Istio (run with \`-m app\` so the istio config is not deployed either).
  # No gateway: each service is forwarded on its own port.
  - name: no-mesh
    patches:
      - { op: replace, path: /deploy/helm/releases/0/setValues/mesh.enabled, value: false }
    portForward:
${yaml(
  names.map((name) =>
    forward(
      'service',
      name,
      topology.services[name]?.http ?? 0,
      topology.services[name]?.http ?? 0,
    ),
  ),
  6,
)}
  # Envoy injects +300 ms on every call to payment's gRPC API (see charts/junction values mesh.faults).
  - name: mesh-faults
    patches:
      - { op: add, path: /deploy/helm/releases/0/setValues/mesh.faults.enabled, value: true }
  # Checkout load from inside the cluster: builds the Dockerfile's \`load\` stage and deploys the
  # chart's load generator (charts/junction values loadGenerator); combine with others, e.g.
  # \`-p load,mesh-faults\`, or \`-m app -p no-mesh,load\`. Its summaries: kubectl logs.
  - name: load
    patches:
      - op: add
        path: /build/artifacts/-
        value:
          image: junction-load
          context: .
          docker:
            dockerfile: Dockerfile
            target: load
      - { op: add, path: /deploy/helm/releases/0/setValues/loadGenerator.enabled, value: true }
      - op: add
        path: /deploy/helm/releases/0/setValueTemplates/loadGenerator.image.repository
        value: '{{.IMAGE_REPO_junction_load}}'
      - op: add
        path: /deploy/helm/releases/0/setValueTemplates/loadGenerator.image.tag
        value: '{{.IMAGE_TAG_junction_load}}'
  # Node inspector on 127.0.0.1:9229 in every service, forwarded to localhost:9231 and up
  # (a profile's port-forwards replace the config's, so the gateway's is repeated).
  - name: debug
    patches:
      - { op: add, path: /deploy/helm/releases/0/setValues/debug.enabled, value: true }
    portForward:
${yaml([gatewayForward, ...names.map((name, i) => forward('deployment', name, 9229, 9231 + i))], 6)}
`;
}

function skaffoldWithApp(text: string, topology: Topology): string {
  const docs = text.split(/^---\n/m);
  const index = docs.findIndex((doc) => new RegExp(`^  name: ${APP_CONFIG}$`, 'm').test(doc));
  if (index < 0) throw new Error(`${SKAFFOLD_FILE}: no config named ${APP_CONFIG}`);
  const apiVersion = /^apiVersion: (\S+)$/m.exec(docs[0] ?? '')?.[1];
  if (!apiVersion) throw new Error(`${SKAFFOLD_FILE}: the first config has no apiVersion`);
  docs[index] = appConfig(topology, apiVersion);
  return docs.join('---\n');
}

const camelCase = (name: string): string =>
  name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Each gRPC API as proto-loader loads it: `junction.user.v1.UserService` is the service
 * UserService of package junction.user.v1 in proto/junction/user/v1/user.proto (the layout buf
 * lints); a missing .proto fails here rather than at boot.
 */
function grpcServices(topology: Topology, read: ReadFile): Record<string, unknown> {
  return Object.fromEntries(
    Object.values(topology.services).flatMap((s) => {
      if (!s.grpc) return [];
      const segments = s.grpc.service.split('.');
      const service = segments.pop() ?? '';
      const protoFile = `${segments.join('/')}/${segments[segments.length - 2] ?? ''}.proto`;
      read(`proto/${protoFile}`);
      return [[camelCase(s.name), { package: segments.join('.'), service, protoFile }]];
    }),
  );
}

/**
 * The contracts' view of the topology: each gRPC API's proto (for the servers), the methods a
 * client may retry, and the broker topology every service declares before it publishes.
 */
function contractsModule(topology: Topology, read: ReadFile): string {
  const apis = Object.fromEntries(
    Object.values(topology.services).flatMap((s) =>
      s.grpc
        ? [
            [
              s.grpc.service,
              Object.entries(s.grpc.methods)
                .filter(([, m]) => m.idempotent)
                .map(([method]) => method.charAt(0).toLowerCase() + method.slice(1)),
            ],
          ]
        : [],
    ),
  );
  return `// DO NOT EDIT: generated from topology.yaml by \`npm run topology:generate\`.

/** The gRPC service definitions, as proto-loader (and so Nest and reflection) loads them. */
export const GRPC_SERVICES = ${JSON.stringify(grpcServices(topology, read))} as const;

/** Per gRPC service, the methods a client may retry: a repeated call has one effect. */
export const IDEMPOTENT_GRPC_METHODS: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(apis)};

/**
 * The whole broker topology: the events exchange, every consuming service's queue, retry and
 * parking queues, and a binding per event it consumes (tools/topology/broker.mts). Every service
 * declares all of it on each connection before it publishes or consumes (libs/messaging), so no
 * event is published before its queue exists; the chart's RabbitMQ loads the same at boot.
 */
export const BROKER_TOPOLOGY = ${JSON.stringify(brokerTopology(topology))} as const;
`;
}

async function formatted(file: string, text: string): Promise<string> {
  const absolute = path.join(REPO_ROOT, file);
  const options = (await prettier.resolveConfig(absolute)) ?? {};
  return prettier.format(text, { ...options, filepath: absolute });
}

/** Reads a repository file (the hand-written parts of the generated files). */
export type ReadFile = (file: string) => string;
const readRepoFile: ReadFile = (file) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

/** Every generated file's expected content, by repository path. */
export async function generatedFiles(
  topology = loadTopology(),
  read: ReadFile = readRepoFile,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set(
    VALUES_FILE,
    replaceBetweenMarkers(
      replaceBetweenMarkers(read(VALUES_FILE), valuesBlock(topology), VALUES_FILE),
      webBlock(topology),
      VALUES_FILE,
      [WEB_BEGIN, WEB_END],
    ),
  );
  files.set(SCHEMA_FILE, schemaWithNames(read(SCHEMA_FILE), topology));
  files.set(SKAFFOLD_FILE, skaffoldWithApp(read(SKAFFOLD_FILE), topology));
  files.set(CONTRACTS_FILE, contractsModule(topology, read));
  files.set(
    BROKER_DEFINITIONS_FILE,
    `${JSON.stringify(rabbitmqDefinitions(brokerTopology(topology)), null, 2)}\n`,
  );
  files.set(ACCESS_FILE, `${JSON.stringify(serviceAccess(topology), null, 2)}\n`);
  files.set(
    README_FILE,
    replaceBetweenMarkers(read(README_FILE), readmePorts(topology), README_FILE, [
      README_BEGIN,
      README_END,
    ]),
  );
  for (const [file, text] of files) files.set(file, await formatted(file, text));
  return files;
}

/** The generated files whose committed content differs from what topology.yaml gives. */
export async function staleFiles(topology = loadTopology()): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, text] of await generatedFiles(topology)) {
    let current = '';
    try {
      current = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) stale.push(file);
  }
  return stale;
}
