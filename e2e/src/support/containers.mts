// The five service images and the storefront's run the way the chart runs them: each container's
// user, read-only root, dropped capabilities, no-new-privileges, /tmp, limits, probes, grace
// period and env are read from the chart as `helm template` renders it (skaffold's no-mesh
// profile: no sidecars), and only the addresses are moved onto this machine (adaptToMachine).
// Host network, loopback.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { render } from '../../../tools/k8s/src/charts.mts';
import { workloads, type Workload } from '../../../tools/k8s/src/objects.mts';
import { dockerClient, engineAnswers } from '../../../tools/docker/docker.mts';
import { imageName } from '../../../tools/docker/build-images.mts';

const exec = promisify(execFile);

/** Why containers cannot run here, or undefined when a Docker engine answers. */
export function dockerMissing(): string | undefined {
  if (!engineAnswers()) return 'no Docker engine answers (start dockerd; .ci/run does)';
  try {
    dockerClient();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** How the chart runs one service: what `docker run` needs of its Deployment. */
export interface ChartedService {
  readonly name: string;
  /** The image repository the chart deploys (the tag is skaffold's). */
  readonly repository: string;
  readonly user: string;
  readonly readOnlyRoot: boolean;
  readonly dropsAllCapabilities: boolean;
  readonly noNewPrivileges: boolean;
  /** emptyDir mounts: path → size limit. */
  readonly scratch: Readonly<Record<string, string | undefined>>;
  readonly limits: { readonly cpu?: string; readonly memory?: string };
  readonly readinessPath: string;
  readonly terminationGraceSeconds: number;
  /** The ConfigMap's data, as the pod gets it through envFrom. */
  readonly config: Readonly<Record<string, string>>;
  /** Env the pod takes from Secrets: variable → secret name/key. */
  readonly secrets: Readonly<Record<string, string>>;
}

interface ConfigMap {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
}

function charted(workload: Workload, configMaps: ConfigMap[]): ChartedService {
  const { pod } = workload;
  const [container] = workload.containers;
  if (!container) throw new Error(`${workload.id} has no container`);
  const security = container.securityContext ?? {};
  const user = security.runAsUser ?? pod.securityContext?.runAsUser;
  const group = security.runAsGroup ?? pod.securityContext?.runAsGroup;
  const config = Object.assign(
    {},
    ...(container.envFrom ?? []).map(
      (source) =>
        configMaps.find((map) => map.metadata.name === source.configMapRef?.name)?.data ?? {},
    ),
  ) as Record<string, string>;
  const secrets = Object.fromEntries(
    (container.env ?? []).flatMap((env) => {
      const ref = env.valueFrom?.secretKeyRef;
      return ref ? [[env.name, `${ref.name ?? ''}/${ref.key}`]] : [];
    }),
  );
  const scratch = Object.fromEntries(
    (container.volumeMounts ?? []).flatMap((mount) => {
      const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
      return volume?.emptyDir ? [[mount.mountPath, volume.emptyDir.sizeLimit?.toString()]] : [];
    }),
  );
  const limits = container.resources?.limits ?? {};
  return {
    name: container.name,
    repository: (container.image ?? '').replace(/:[^:/]+$/, ''),
    user: `${String(user)}:${String(group)}`,
    readOnlyRoot: security.readOnlyRootFilesystem === true,
    dropsAllCapabilities: security.capabilities?.drop?.includes('ALL') === true,
    noNewPrivileges: security.allowPrivilegeEscalation === false,
    scratch,
    limits: { cpu: limits.cpu?.toString(), memory: limits.memory?.toString() },
    readinessPath: container.readinessProbe?.httpGet?.path ?? '/readyz',
    terminationGraceSeconds: pod.terminationGracePeriodSeconds ?? 30,
    config,
    secrets,
  };
}

/** The services (or web apps) as the chart (skaffold's no-mesh rendering) runs them. */
export function chartedServices(names: readonly string[]): ChartedService[] {
  const objects = render('no-mesh').app;
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap') as unknown as ConfigMap[];
  return names.map((name) => {
    const workload = workloads(objects).find((w) => w.id === `Deployment/${name}`);
    if (!workload) throw new Error(`the chart renders no Deployment/${name}`);
    return charted(workload, configMaps);
  });
}

export interface Machine {
  readonly portOffset: number;
  readonly redisUrl: string;
  readonly rabbitmqUrl: string;
  readonly jwtPrivateKey: string;
  /** The operators' /admin/faults token (cluster:up's values turn the demo panel's faults on). */
  readonly faultAdminToken: string;
}

/** Where a container's HTTP port is in its env: a service's HTTP_PORT, a web app's PORT. */
const httpPortOf = (env: Readonly<Record<string, string>>): string =>
  env.HTTP_PORT ?? env.PORT ?? '';

/**
 * The chart's env moved onto this machine: every in-cluster address (a Service name, with or
 * without a URL scheme) becomes 127.0.0.1 with the port shifted by the test's offset, and so
 * do the listening ports; a web app listens on loopback only (HOST); Redis and RabbitMQ are the
 * test's own database and vhost; the JWT signing key and the fault-admin token are the local dev
 * ones; the OTLP endpoints are dropped (no collector in this test, so tracing is off). A Secret
 * the test has no stand-in for is an error, not a silent gap.
 */
export function adaptToMachine(service: ChartedService, machine: Machine): Record<string, string> {
  const standIns: Record<string, string> = {
    // The chart's are the service's own users (its credentials Secret); here the test's.
    REDIS_URL: machine.redisUrl,
    RABBITMQ_URL: machine.rabbitmqUrl,
    JWT_PRIVATE_KEY: machine.jwtPrivateKey,
    FAULT_ADMIN_TOKEN: machine.faultAdminToken,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.config)) {
    if (key === 'OTEL_EXPORTER_OTLP_ENDPOINT' || key === 'OTLP_TRACES_URL') continue;
    if (key === 'PORT' || key.endsWith('_PORT'))
      env[key] = String(Number(value) + machine.portOffset);
    else if (key === 'HOST') env[key] = '127.0.0.1';
    else {
      env[key] = value.replace(
        /^((?:[a-z][a-z0-9+.-]*:)?\/\/\/?)?([a-z][a-z0-9.-]*):(\d+)(?=\/|$)/,
        (_, scheme: string | undefined, _host: string, port: string) =>
          `${scheme ?? ''}127.0.0.1:${String(Number(port) + machine.portOffset)}`,
      );
    }
  }
  for (const [key, secret] of Object.entries(service.secrets)) {
    const value = standIns[key];
    if (value === undefined) throw new Error(`${service.name}: no stand-in for secret ${secret}`);
    env[key] = value;
  }
  return env;
}

/** The `docker run` flags that reproduce the chart's pod and container security settings. */
export function runFlags(service: ChartedService): string[] {
  const cpus = service.limits.cpu;
  const memory = service.limits.memory;
  return [
    '--user',
    service.user,
    ...(service.readOnlyRoot ? ['--read-only'] : []),
    ...(service.dropsAllCapabilities ? ['--cap-drop', 'ALL'] : []),
    ...(service.noNewPrivileges ? ['--security-opt', 'no-new-privileges'] : []),
    ...Object.entries(service.scratch).flatMap(([path, size]) => [
      '--tmpfs',
      size ? `${path}:size=${size.replace(/i$/, '').toLowerCase()}` : path,
    ]),
    ...(cpus
      ? ['--cpus', String(cpus.endsWith('m') ? Number(cpus.slice(0, -1)) / 1000 : Number(cpus))]
      : []),
    ...(memory ? ['--memory', memory.replace(/i$/, '').toLowerCase()] : []),
    '--network',
    'host',
  ];
}

export interface RunningContainer {
  readonly service: ChartedService;
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  url(path: string): string;
}

const docker = async (args: string[]): Promise<string> =>
  (await exec(dockerClient(), args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

/** Starts one service's (or web app's) image, detached, named `<prefix>-<name>` (a stale one is replaced). */
export async function runContainer(
  service: ChartedService,
  machine: Machine,
  prefix: string,
): Promise<RunningContainer> {
  const name = `${prefix}-${service.name}`;
  await removeContainer(name);
  const env = adaptToMachine(service, machine);
  await docker([
    'run',
    '--detach',
    '--name',
    name,
    ...runFlags(service),
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    imageName(service.name),
  ]);
  const port = httpPortOf(env);
  return { service, name, env, url: (path) => `http://127.0.0.1:${port}${path}` };
}

/** Waits until the container's readiness probe path answers 200 (or it exits). */
export async function waitReady(container: RunningContainer, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(container.url(container.service.readinessPath))
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    const state = await docker(['inspect', '--format', '{{.State.Status}}', container.name]);
    if (state !== 'running' || Date.now() > deadline) {
      throw new Error(
        `${container.name} is ${state}, not ready (${String(status)}):\n${await containerLogs(container.name)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `docker stop --time <grace>`, then the container's exit code. */
export async function stopContainer(container: RunningContainer): Promise<number> {
  await docker([
    'stop',
    '--time',
    String(container.service.terminationGraceSeconds),
    container.name,
  ]);
  return Number(await docker(['inspect', '--format', '{{.State.ExitCode}}', container.name]));
}

export async function containerLogs(name: string, lines = 60): Promise<string> {
  const { stdout, stderr } = await exec(dockerClient(), ['logs', '--tail', String(lines), name], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch(() => ({ stdout: '', stderr: '' }));
  return `${stdout}${stderr}`;
}

export async function removeContainer(name: string): Promise<void> {
  await exec(dockerClient(), ['rm', '--force', name]).catch(() => undefined);
}
