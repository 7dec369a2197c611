// What `npm run cluster:up` does up to a running deployment, with every tool behind an injected
// dependency (deploy.test.mts drives it with fakes): flags → preflight (fixes applied) → the kind
// cluster → repair of pending Helm releases → skaffold → rollouts, and on failure the report of
// the pods that are not ready. up.mts adds the port-forwards and the first request.
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from '../local/topology.mts';
import type { Outcome } from './attached.mts';
import { forwards, GATEWAY_URL, JAEGER_URL, RABBITMQ_URL } from './endpoints.mts';
import { RELEASE_NAMESPACES, repairPendingReleases } from './helm-releases.mts';
import { notReadyReport } from './not-ready.mts';
import { preflight, type Findings, type PortProbe } from './preflight.mts';
import type { Run } from './run.mts';
import { CLUSTER, CONTEXT, parseUpFlags, skaffoldArgs, USAGE, type UpFlags } from './up-args.mts';

export interface DeployDeps {
  /** Commands whose output is read (kind get clusters, helm list, kubectl get …). */
  readonly run: Run;
  /** Commands whose output goes to the terminal; returns the exit code. */
  readonly sh: (command: string, args: string[]) => number;
  /** skaffold, attached, with Ctrl-C forwarded and waited for (attached.mts). */
  readonly skaffold: (args: string[], env: NodeJS.ProcessEnv) => Promise<Outcome>;
  readonly isFree: PortProbe;
  readonly env: NodeJS.ProcessEnv;
  readonly hostMemory: number;
  /** Where a `helm` that is the Helm 3 goes, when skaffold must use one. */
  readonly binDir: string;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
  readonly skaffoldYaml?: string;
}

export interface Deployed {
  /** The exit code for cluster:up when it stops here. */
  readonly code: number;
  /** Set when everything rolled out and cluster:up should forward the ports. */
  readonly ready?: UpFlags;
}

/** An absolute path for a command name found on PATH (a symlink needs one). */
function onPath(command: string, env: NodeJS.ProcessEnv): string {
  if (command.includes('/')) return path.resolve(command);
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return command;
}

/** skaffold's environment with preflight's fixes: its variables, and a Helm 3 first on PATH. */
export function skaffoldEnv(findings: Findings, env: NodeJS.ProcessEnv, binDir: string) {
  const out: NodeJS.ProcessEnv = { ...env, ...findings.env };
  if (findings.helm3) {
    // skaffold runs `helm` from PATH: a folder holding only a `helm` that is the Helm 3.
    mkdirSync(binDir, { recursive: true });
    rmSync(path.join(binDir, 'helm'), { force: true });
    symlinkSync(onPath(findings.helm3, env), path.join(binDir, 'helm'));
    out.PATH = `${binDir}${path.delimiter}${env.PATH ?? ''}`;
  }
  return out;
}

function report(deps: DeployDeps, what: string, code: number): Deployed {
  deps.error(`\n${what} failed (exit ${String(code)}).`);
  const lines = notReadyReport(deps.run, CONTEXT, RELEASE_NAMESPACES);
  deps.error(
    lines.length > 0
      ? lines.join('\n')
      : 'Every pod that exists is ready: see the skaffold output above for what failed.',
  );
  deps.error('More in docs/kubernetes.md, "Troubleshooting".');
  return { code };
}

function ensureCluster(deps: DeployDeps): number {
  const { out } = deps.run('kind', ['get', 'clusters']);
  if (out.split('\n').includes(CLUSTER)) {
    deps.log(`kind cluster "${CLUSTER}" exists`);
  } else {
    const created = deps.sh('kind', [
      'create',
      'cluster',
      '--config',
      'k8s/kind-cluster.yaml',
      '--wait',
      '120s',
    ]);
    if (created !== 0) return created;
  }
  return deps.sh('kubectl', ['config', 'use-context', CONTEXT]);
}

const repair = (deps: DeployDeps): void => {
  for (const line of repairPendingReleases(deps.run, CONTEXT)) deps.log(line);
};

export async function deploy(argv: readonly string[], deps: DeployDeps): Promise<Deployed> {
  const parsed = parseUpFlags(argv);
  if ('error' in parsed) {
    deps.error(parsed.error);
    return { code: 2 };
  }
  if (parsed.help) {
    deps.log(USAGE);
    return { code: 0 };
  }
  const { flags } = parsed;
  const findings = await preflight(
    { noMesh: flags.noMesh, ports: forwards(flags) },
    { ...deps, ...(deps.skaffoldYaml ? { skaffoldYaml: deps.skaffoldYaml } : {}) },
  );
  for (const note of findings.notes) deps.log(`preflight: ${note}`);
  if (findings.problems.length > 0) {
    deps.error(`Preflight failed:\n${findings.problems.map((p) => `  - ${p}`).join('\n')}`);
    return { code: 1 };
  }
  const env = skaffoldEnv(findings, deps.env, deps.binDir);
  const cluster = ensureCluster(deps);
  if (cluster !== 0) return { code: cluster };
  repair(deps);

  const args = skaffoldArgs(flags);
  deps.log(`$ skaffold ${args.join(' ')}`);
  if (flags.dev) {
    const app = flags.noMesh ? 'each service on its own port' : GATEWAY_URL;
    deps.log(
      `skaffold dev stays attached; once deployed it forwards ${app}, ${JAEGER_URL} and ${RABBITMQ_URL}.`,
    );
  }
  const outcome = await deps.skaffold(args, env);
  if (outcome.interrupted) {
    repair(deps);
    deps.log('skaffold stopped; the cluster keeps running (npm run cluster:down deletes it).');
    return { code: flags.dev && outcome.code === 0 ? 0 : 130 };
  }
  if (outcome.code !== 0) return report(deps, `skaffold ${args[0] ?? ''}`, outcome.code);
  if (flags.dev) return { code: 0 };
  for (const service of Object.keys(SERVICES)) {
    const status = deps.sh('kubectl', [
      '--context',
      CONTEXT,
      '-n',
      'junction',
      'rollout',
      'status',
      `deployment/${service}`,
      '--timeout=300s',
    ]);
    if (status !== 0) return report(deps, `rollout of ${service}`, status);
  }
  return { code: 0, ready: flags };
}
