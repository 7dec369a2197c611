import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { goModuleDir, tool, toolPath } from '@junction/toolchain';
import { preparedCharts } from './charts.mts';
import { repoPath } from './repo.mts';
import {
  loadSkaffold,
  type SkaffoldArtifact,
  type SkaffoldConfig,
  type SkaffoldRelease,
} from './skaffold.mts';

/**
 * Where each remote Istio chart of skaffold.yaml's `istio` config lives inside the istio.io/istio
 * module that istioctl is built from (the chart repository cannot be reached from here).
 */
const ISTIO_CHARTS: Readonly<Record<string, string>> = {
  base: 'manifests/charts/base',
  istiod: 'manifests/charts/istio-control/istio-discovery',
  gateway: 'manifests/charts/gateway',
};

export function istioChartsDir(): string {
  const istio = tool('istioctl');
  return goModuleDir(istio.module, istio.moduleVersion);
}

function localRelease(release: SkaffoldRelease): SkaffoldRelease & Record<string, unknown> {
  // A local chart has no repository or chart version: drop them from the copy.
  const rest: SkaffoldRelease = { ...release };
  delete rest.repo;
  delete rest.version;
  delete rest.remoteChart;
  const { remoteChart } = release;
  const absolute = (file: string): string => (path.isAbsolute(file) ? file : repoPath(file));
  const valuesFiles = rest.valuesFiles?.map(absolute);
  if (remoteChart) {
    const chart = ISTIO_CHARTS[remoteChart];
    if (!chart)
      throw new Error(`${release.name}: no local copy of the remote chart ${remoteChart}`);
    return { ...rest, valuesFiles, chartPath: path.join(istioChartsDir(), chart) };
  }
  const chartPath = rest.chartPath?.replace(/^charts\//, '');
  if (!chartPath) throw new Error(`${release.name}: neither chartPath nor remoteChart`);
  // The throw-away chart copy has its dependencies vendored: skaffold must not write into charts/.
  return {
    ...rest,
    valuesFiles,
    chartPath: path.join(preparedCharts(), chartPath),
    skipBuildDependencies: true,
  };
}

/**
 * How images are built on a machine without a registry (what tools/docker/build-images.mts
 * does): FROM the local Node base image, on the host network, with the machine's CA bundle as
 * the `ca-certificates` build secret.
 */
export interface LocalBuild {
  readonly nodeImage: string;
  readonly caBundle?: string;
}

function localArtifact(
  artifact: SkaffoldArtifact,
  build: LocalBuild | undefined,
): SkaffoldArtifact {
  const context = repoPath(artifact.context ?? '.');
  if (!build || !artifact.docker) return { ...artifact, context };
  const docker = {
    ...artifact.docker,
    buildArgs: { ...artifact.docker.buildArgs, NODE_IMAGE: build.nodeImage },
    network: 'host',
    ...(build.caBundle && { secrets: [{ id: 'ca-certificates', src: build.caBundle }] }),
  };
  return { ...artifact, context, docker };
}

/** A profile with the artifacts its patches add (the `load` profile's image) made local too. */
function localProfile(
  profile: NonNullable<SkaffoldConfig['profiles']>[number],
  build: LocalBuild | undefined,
): NonNullable<SkaffoldConfig['profiles']>[number] {
  const patches = profile.patches?.map((patch) =>
    /^\/build\/artifacts\/(-|\d+)$/.test(patch.path) && patch.op === 'add'
      ? { ...patch, value: localArtifact(patch.value as SkaffoldArtifact, build) }
      : patch,
  );
  return { ...profile, ...(patches && { patches }) };
}

/** One config with every path absolute and every chart local. */
function localConfig(cfg: SkaffoldConfig, build: LocalBuild | undefined): SkaffoldConfig {
  const releases = cfg.deploy?.helm?.releases?.map(localRelease);
  return {
    ...cfg,
    ...(cfg.profiles && { profiles: cfg.profiles.map((p) => localProfile(p, build)) }),
    ...(cfg.manifests?.rawYaml && {
      manifests: { ...cfg.manifests, rawYaml: cfg.manifests.rawYaml.map((f) => repoPath(f)) },
    }),
    ...(cfg.build?.artifacts && {
      build: {
        ...cfg.build,
        artifacts: cfg.build.artifacts.map((a) => localArtifact(a, build)),
      },
    }),
    ...(releases && { deploy: { ...cfg.deploy, helm: { ...cfg.deploy?.helm, releases } } }),
  };
}

export interface OfflineSkaffold {
  /** The copied skaffold.yaml. */
  readonly file: string;
  /** The environment skaffold runs in (see skaffoldEnv). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A throw-away HOME whose ~/.skaffold/config turns off metrics, the update check and the
 * survey: without `collect-metrics` there, skaffold prompts once and writes `true` into the
 * user's own config. `helm` on PATH is the given binary; Docker keeps the user's config unless
 * images are built (then a throw-away one with the pinned buildx plugin).
 */
function skaffoldEnv(dir: string, helmBinary: string, withDocker: boolean): NodeJS.ProcessEnv {
  const home = path.join(dir, 'home');
  mkdirSync(path.join(home, '.skaffold'), { recursive: true });
  writeFileSync(
    path.join(home, '.skaffold', 'config'),
    stringify({
      global: {
        'collect-metrics': false,
        'update-check': false,
        survey: { 'disable-prompt': true },
      },
    }),
  );
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(helmBinary, path.join(bin, 'helm'));
  // skaffold runs `docker build … --load` for BuildKit builds, which needs buildx: the pinned
  // build of it (tools/toolchain) as the CLI plugin of a throw-away Docker config.
  let dockerConfig = process.env['DOCKER_CONFIG'] ?? path.join(homedir(), '.docker');
  if (withDocker) {
    dockerConfig = path.join(dir, 'docker');
    mkdirSync(path.join(dockerConfig, 'cli-plugins'), { recursive: true });
    symlinkSync(toolPath('buildx'), path.join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  }
  return {
    ...process.env,
    HOME: home,
    DOCKER_CONFIG: dockerConfig,
    PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`,
    SKAFFOLD_UPDATE_CHECK: 'false',
  };
}

/**
 * skaffold.yaml as is, except that the remote Istio charts come from the pinned istio.io/istio
 * module and the repository's charts from a throw-away copy (and, given `build`, images are
 * built the way this machine can): skaffold itself reads it, and nothing is fetched or written
 * into the repository.
 */
export function offlineSkaffold(helmBinary: string, build?: LocalBuild): OfflineSkaffold {
  const dir = mkdtempSync(path.join(tmpdir(), 'junction-skaffold-'));
  const file = path.join(dir, 'skaffold.yaml');
  const configs = loadSkaffold().map((cfg) => stringify(localConfig(cfg, build)));
  writeFileSync(file, configs.join('---\n'));
  return { file, env: skaffoldEnv(dir, helmBinary, build !== undefined) };
}

/**
 * The local Node base image that tools/docker/base-image.mts builds for machines without a
 * registry: `junction-node:<package.json devDependencies.node>-bookworm`.
 */
export function localBaseImage(): string {
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return `junction-node:${pkg.devDependencies['node'] ?? ''}-bookworm`;
}

const docker = (args: string[]): boolean =>
  spawnSync('docker', args, { stdio: 'ignore', timeout: 30_000 }).status === 0;

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** How this machine builds images, or why it cannot (no engine, no base image). */
export function localBuild(): LocalBuild | string {
  if (!docker(['info'])) return 'no Docker engine answers `docker info`';
  if (!docker(['image', 'inspect', localBaseImage()])) {
    return `no ${localBaseImage()} in the Docker engine: build it with node tools/docker/base-image.mts`;
  }
  return { nodeImage: localBaseImage(), ...(existsSync(CA_BUNDLE) && { caBundle: CA_BUNDLE }) };
}

export const removeImage = (tag: string): boolean => docker(['image', 'rm', tag]);
export const imageExists = (tag: string): boolean => docker(['image', 'inspect', tag]);
