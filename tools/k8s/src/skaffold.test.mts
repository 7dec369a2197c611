import assert from 'node:assert/strict';
import { loadTopology } from '@junction/topology';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { PROFILES, render, TEST_TAG } from './charts.mts';
import {
  contextSources,
  dockerignore,
  parseDockerfile,
  readDockerfile,
  stage,
  stageNames,
} from './dockerfile.mts';
import { ofKind, workloads } from './objects.mts';
import { exists, readYamlFile, repoPath } from './repo.mts';
import {
  config,
  loadSkaffold,
  type SkaffoldArtifact,
  templateKey,
  withProfile,
} from './skaffold.mts';

const skaffold = loadSkaffold();
const app = config(skaffold, 'app');
const artifacts = app.build?.artifacts ?? [];
const chartValues = parse(readFileSync(repoPath('charts/junction/values.yaml'), 'utf8')) as {
  services: Record<string, { image: { repository: string } }>;
  web: Record<string, unknown>;
} & Record<string, { image?: { repository: string } } | undefined>;
const webApps = Object.keys(chartValues.web);

/** The chart value an artifact's image goes to: its service's, its web app's, or the load generator's. */
function chartImageValue(artifact: SkaffoldArtifact): string {
  const service = artifact.docker?.buildArgs?.SERVICE;
  if (service) return `services.${service}.image`;
  const target = artifact.docker?.target ?? '';
  if (webApps.includes(target)) return `${target}.image`;
  assert.equal(target, 'load', `${artifact.image}: neither a service, a web app nor load`);
  return 'loadGenerator.image';
}

describe('skaffold.yaml', () => {
  it('uses skaffold/v4beta14 everywhere and orders configs namespace -> istio -> infra -> app', () => {
    for (const c of skaffold) assert.equal(c.apiVersion, 'skaffold/v4beta14', c.metadata.name);
    assert.deepEqual(
      skaffold.map((c) => c.metadata.name),
      ['namespace', 'istio', 'infra', 'app'],
    );
    assert.deepEqual(
      app.requires?.flatMap((r) => r.configs ?? []),
      ['infra'],
    );
  });

  it('builds one image per chart service, from the one Dockerfile, with SERVICE set', () => {
    const serviceArtifacts = artifacts.filter((a) => a.docker?.buildArgs?.SERVICE);
    assert.deepEqual(
      serviceArtifacts.map((a) => a.docker?.buildArgs?.SERVICE).sort(),
      Object.keys(chartValues.services).sort(),
    );
    for (const a of serviceArtifacts) {
      const service = a.docker?.buildArgs?.SERVICE ?? '';
      assert.equal(a.docker?.dockerfile ?? 'Dockerfile', 'Dockerfile');
      assert.equal(a.context ?? '.', '.');
      assert.ok(exists(`services/${service}/package.json`), `services/${service} does not exist`);
      assert.equal(
        chartValues.services[service]?.image.repository,
        a.image,
        `chart image of ${service}`,
      );
    }
  });

  it('builds one image per web app, from its own stage of the one Dockerfile', () => {
    const webArtifacts = artifacts.filter((a) => !a.docker?.buildArgs?.SERVICE);
    assert.deepEqual(webArtifacts.map((a) => a.docker?.target).sort(), [...webApps].sort());
    const stages = stageNames(readDockerfile('Dockerfile'));
    for (const a of webArtifacts) {
      const name = a.docker?.target ?? '';
      assert.equal(a.docker?.dockerfile ?? 'Dockerfile', 'Dockerfile');
      assert.equal(a.context ?? '.', '.');
      assert.ok(exists(`web/${name}/package.json`), `web/${name} does not exist`);
      assert.ok(stages.includes(name), `the Dockerfile has no stage ${name}`);
      assert.equal(chartValues[name]?.image?.repository, a.image, `chart image of ${name}`);
    }
  });

  it("points the storefront's Jaeger link at cluster:up's forward of the UI, its lookups at Jaeger's query port", () => {
    const { app: objects, infra } = render('default');
    const data =
      ofKind<{ data: Record<string, string> }>(objects, 'ConfigMap').find(
        (c) => c.metadata.name === 'storefront-config',
      )?.data ?? {};
    const ui = new URL(data.JAEGER_UI_URL ?? '');
    const forwards = skaffold.flatMap((c) => c.portForward ?? []);
    const forward = forwards.find((p) => p.resourceName === 'jaeger');
    assert.ok(forward, 'cluster:up forwards no Jaeger');
    assert.equal(ui.hostname, 'localhost');
    assert.equal(Number(ui.port), forward.localPort);
    const query = new URL(data.JAEGER_QUERY_URL ?? '');
    const service = ofKind<{ spec: { ports: { name: string; port: number }[] } }>(
      infra,
      'Service',
    ).find((x) => x.metadata.name === query.hostname);
    assert.ok(service, `no Service ${query.hostname} in junction-infra`);
    const port = service.spec.ports.find((p) => p.port === Number(query.port));
    assert.equal(port?.name, 'http-query', `${query.host} is not Jaeger's query port`);
    assert.equal(forward.port, port.port, "the UI forwarded is the query port's");
  });

  for (const profile of PROFILES) {
    it(`${profile}: every image skaffold builds is the image the chart deploys, and only those`, () => {
      const cfg = withProfile(app, profile === 'default' ? undefined : profile);
      const release = cfg.deploy?.helm?.releases?.[0];
      assert.ok(release);
      const built = cfg.build?.artifacts ?? [];
      for (const a of built) {
        const key = templateKey(a.image);
        const templates: Record<string, string> = release.setValueTemplates ?? {};
        const image = chartImageValue(a);
        assert.equal(templates[`${image}.repository`], `{{.IMAGE_REPO_${key}}}`);
        assert.equal(templates[`${image}.tag`], `{{.IMAGE_TAG_${key}}}`);
      }
      const images = new Set(built.map((a) => `${a.image}:${TEST_TAG}`));
      const deployed = workloads(render(profile).app).flatMap((w) => [
        ...w.containers.map((c) => c.image),
        ...(w.pod.initContainers ?? []).map((c) => c.image),
      ]);
      for (const image of deployed)
        assert.ok(images.has(image ?? ''), `deploys ${image ?? '?'} which skaffold does not build`);
      assert.deepEqual(
        new Set(workloads(render(profile).app).map((w) => w.containers[0]?.image)),
        images,
      );
    });
  }

  it("dev: the services' artifacts build the dev stage and sync TypeScript; a web app's is rebuilt", () => {
    const dev = withProfile(app, 'dev');
    for (const a of dev.build?.artifacts ?? []) {
      if (a.docker?.buildArgs?.SERVICE) {
        assert.equal(a.docker.target, 'dev');
        assert.ok(a.sync, `${a.image} has no sync rules`);
      } else {
        assert.ok(webApps.includes(a.docker?.target ?? ''), a.image);
        assert.equal(a.sync, undefined, `${a.image}: no dev stage to sync into`);
      }
    }
  });

  it('port-forwards point at objects that are deployed', () => {
    const { all } = render('default');
    const gateway = config(skaffold, 'istio').deploy?.helm?.releases?.find(
      (r) => r.remoteChart === 'gateway',
    );
    const targets = new Set([
      ...all.map((o) => `${o.kind.toLowerCase()}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
      `service/${gateway?.namespace ?? ''}/${gateway?.name ?? ''}`,
    ]);
    for (const c of skaffold) {
      for (const profile of [undefined, ...(c.profiles ?? []).map((p) => p.name)]) {
        for (const pf of withProfile(c, profile).portForward ?? []) {
          const id = `${pf.resourceType}/${pf.namespace ?? ''}/${pf.resourceName}`;
          assert.ok(
            targets.has(id),
            `${c.metadata.name}${profile ? ` (${profile})` : ''}: port-forward to ${id}`,
          );
        }
      }
    }
    const ports = skaffold.flatMap((c) => c.portForward ?? []).map((p) => p.port);
    for (const port of [80, 16686, 15672])
      assert.ok(ports.includes(port), `no port-forward of port ${String(port)}`);
  });

  // The npm schemas (@kubernetes-models/istio) lag the Istio release line by one minor version;
  // istioctl analyze (istioctl.test.mts) checks the resources with a newer Istio's own code.
  it('installs one Istio release, at most one minor version newer than the CRD schemas that validate the mesh resources', () => {
    const pkg = JSON.parse(
      readFileSync(repoPath('node_modules/@kubernetes-models/istio/package.json'), 'utf8'),
    ) as {
      'crd-generate': { input: string[] };
    };
    const source = pkg['crd-generate'].input.find((u) => u.includes('crd-all.gen.yaml')) ?? '';
    const schemaVersion = /istio\/istio\/([0-9.]+)\//.exec(source)?.[1];
    const releases = config(skaffold, 'istio').deploy?.helm?.releases ?? [];
    assert.deepEqual(
      releases.map((r) => r.remoteChart),
      ['base', 'istiod', 'gateway'],
    );
    const minor = (version: string | undefined) => Number(version?.split('.')[1]);
    assert.equal(new Set(releases.map((r) => r.version)).size, 1, 'one Istio version');
    for (const r of releases) {
      assert.equal(r.version?.split('.')[0], schemaVersion?.split('.')[0], `${r.name} major`);
      const ahead = minor(r.version) - minor(schemaVersion);
      assert.ok(
        ahead >= 0 && ahead <= 1,
        `${r.name} ${String(r.version)} vs schemas ${String(schemaVersion)}`,
      );
    }
  });

  it('istiod declares the tracing provider the Telemetry resource uses, pointing at the collector', () => {
    const [values] = readYamlFile('k8s/istio/istiod-values.yaml') as [
      {
        meshConfig: {
          extensionProviders: { name: string; opentelemetry?: { service: string; port: number } }[];
        };
        pilot: { env: Record<string, string> };
      },
    ];
    assert.equal(values.pilot.env.ENABLE_NATIVE_SIDECARS, 'true');
    const telemetry = ofKind<{
      spec: { tracing: { providers: { name: string }[]; randomSamplingPercentage: number }[] };
    }>(render('default').app, 'Telemetry');
    assert.equal(telemetry.length, 1);
    assert.equal(telemetry[0]!.metadata.namespace, 'istio-system');
    const tracing = telemetry[0]!.spec.tracing[0]!;
    assert.equal(tracing.randomSamplingPercentage, 100);
    const provider = values.meshConfig.extensionProviders.find(
      (p) => p.name === tracing.providers[0]!.name,
    );
    assert.ok(
      provider?.opentelemetry,
      'the Telemetry provider is not declared in k8s/istio/istiod-values.yaml',
    );
    const collector = ofKind<{ spec: { ports: { port: number }[] } }>(
      render('default').infra,
      'Service',
    ).find(
      (s) =>
        `${s.metadata.name}.${s.metadata.namespace ?? ''}.svc.cluster.local` ===
        provider.opentelemetry!.service,
    );
    assert.ok(collector, `no Service ${provider.opentelemetry.service}`);
    assert.ok(collector.spec.ports.some((p) => p.port === provider.opentelemetry!.port));
  });

  it('the gateway is forwarded to the public port of topology.yaml, and the namespace is injection-enabled', () => {
    const forwards = (config(skaffold, 'app').portForward ?? []).filter(
      (p) => p.resourceName === 'istio-ingressgateway',
    );
    assert.deepEqual(
      forwards.map((p) => p.localPort),
      [loadTopology().gateway.port],
    );
    const [kind] = readYamlFile('k8s/kind-cluster.yaml') as [
      { nodes: { extraPortMappings?: { hostPort: number }[] }[] },
    ];
    const hostPorts = kind.nodes.flatMap((n) => (n.extraPortMappings ?? []).map((m) => m.hostPort));
    assert.ok(!hostPorts.includes(loadTopology().gateway.port), 'kind would take the gateway port');
    const [ns] = readYamlFile('k8s/namespace.yaml') as [
      { metadata: { name: string; labels: Record<string, string> } },
    ];
    assert.equal(ns.metadata.labels['istio-injection'], 'enabled');
    for (const c of skaffold) {
      for (const r of c.deploy?.helm?.releases ?? [])
        if (r.chartPath) assert.equal(r.namespace, ns.metadata.name);
    }
  });
});

describe('Dockerfile', () => {
  const instructions = readDockerfile('Dockerfile');
  const ignored = dockerignore(readFileSync(repoPath('.dockerignore'), 'utf8'));

  it('has the stages skaffold targets (every profile), a SERVICE build argument and a non-root runtime', () => {
    const stages = stageNames(instructions);
    const profiles = [undefined, ...(app.profiles ?? []).map((p) => p.name)];
    for (const target of new Set(
      profiles
        .flatMap((p) => withProfile(app, p).build?.artifacts ?? [])
        .map((a) => a.docker?.target),
    )) {
      assert.ok(target && stages.includes(target), `stage ${target ?? '(none)'} missing`);
    }
    assert.ok(instructions.some((i) => i.keyword === 'ARG' && i.args[0] === 'SERVICE'));
    // The last stage, so that a plain `docker build --build-arg SERVICE=…` builds a service.
    assert.equal(stages.at(-1), 'runtime');
    const runtime = stage(instructions, 'runtime');
    assert.deepEqual(
      runtime.filter((i) => i.keyword === 'USER').map((i) => i.args[0]),
      ['10001:10001'],
    );
    assert.deepEqual(runtime.find((i) => i.keyword === 'WORKDIR')?.args, ['/app']);
    assert.deepEqual(runtime.find((i) => i.keyword === 'CMD')?.args, ['node', 'dist/main.js']);
    const bases = instructions.filter(
      (i) => i.keyword === 'ARG' && i.args[0]?.startsWith('NODE_IMAGE='),
    );
    assert.match(bases[0]?.args[0] ?? '', /^NODE_IMAGE=node:24\.\d+\.\d+-bookworm-slim$/);
    assert.ok(
      instructions.some(
        (i) =>
          i.keyword === 'RUN' &&
          i.flags.some((f) => f.startsWith('mount=type=cache')) &&
          i.args.join(' ').includes('npm ci'),
      ),
    );
  });

  it('COPYs only what exists in the build context and is not dockerignored', () => {
    const sources = contextSources(instructions);
    assert.ok(sources.length > 0);
    for (const { source, line } of sources) {
      const relative = path.normalize(source).replace(/^\.\/?/, '');
      if (relative !== '') {
        assert.ok(
          exists(relative),
          `Dockerfile:${String(line)} COPY ${source}: not in the context`,
        );
        assert.ok(
          !ignored(relative),
          `Dockerfile:${String(line)} COPY ${source}: excluded by .dockerignore`,
        );
      }
    }
  });

  it('keeps in the context every file the build runs, and host artefacts out of it', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      'tools/bundle/bundle.mts',
      'tools/cluster/dev-watch.mts',
    ];
    for (const a of artifacts) {
      const service = a.docker?.buildArgs?.SERVICE;
      needed.push(
        service ? `services/${service}/package.json` : `web/${a.docker?.target ?? ''}/package.json`,
      );
    }
    for (const file of ['web/storefront/node_modules/x', 'web/storefront/dist/server/main.js'])
      assert.ok(ignored(file), `${file} would be sent to the Docker daemon`);
    for (const file of needed) {
      assert.ok(exists(file), `${file} does not exist`);
      assert.ok(!ignored(file), `${file} is excluded by .dockerignore`);
    }
    for (const file of [
      'node_modules/x',
      'services/orders/node_modules/x',
      'libs/platform/dist/index.js',
      '.git/HEAD',
      '.nx/cache/x',
    ]) {
      assert.ok(ignored(file), `${file} would be sent to the Docker daemon`);
    }
    const text = readFileSync(repoPath('Dockerfile'), 'utf8');
    assert.ok(
      !/(curl|wget)\s/.test(text) && !/amd64|arm64|x86_64|aarch64/.test(text),
      'no architecture-specific downloads',
    );
  });

  it('parses continuations, flags, comments and the JSON form the way Docker does', () => {
    const parsed = parseDockerfile(
      [
        'FROM node:24-slim AS build',
        '# comment',
        'RUN --mount=type=cache,target=/root/.npm \\',
        '  # inner comment',
        '    npm ci',
        'COPY --from=build /a ./b',
        'CMD ["node", "dist/main.js"]',
      ].join('\n'),
    );
    assert.deepEqual(
      parsed.map((i) => i.keyword),
      ['FROM', 'RUN', 'COPY', 'CMD'],
    );
    assert.deepEqual(parsed[1]?.flags, ['mount=type=cache,target=/root/.npm']);
    assert.deepEqual(parsed[1].args, ['npm', 'ci']);
    assert.deepEqual(contextSources(parsed), []);
    assert.deepEqual(parsed[3]?.args, ['node', 'dist/main.js']);
    assert.deepEqual(stageNames(parsed), ['build']);
    const ignore = dockerignore('**/node_modules\n*.md\n!README.md');
    assert.ok(
      ignore('a/node_modules/b') && ignore('x.md') && !ignore('README.md') && !ignore('src/a.ts'),
    );
  });
});
