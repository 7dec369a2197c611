// What cluster:up checks before it touches anything, and the known tool traps it fixes on the
// way: the tools at known-good versions, Helm 4 with a skaffold that cannot drive it, Docker's
// containerd image store with BuildKit attestations (kind load), free local ports and Docker's
// memory. Every check reads tool output through an injected Run, so preflight.test.mts can
// feed it the outputs of machines we do not have.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Forward } from './endpoints.mts';
import { capture, parseJson, type Run } from './run.mts';

export { CLUSTER, CONTEXT } from './up-args.mts';
export { capture } from './run.mts';

export interface Tool {
  name: string;
  args: string[];
  min: string;
  parse: (output: string) => string | undefined;
  install: string;
}

export const TOOLS: Record<'docker' | 'kind' | 'kubectl' | 'helm' | 'skaffold', Tool> = {
  docker: {
    name: 'docker',
    args: ['version', '--format', '{{.Server.Version}}'],
    min: '24.0.0',
    parse: (out) => /(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'install Docker Desktop, OrbStack, Colima or Docker Engine, and start it',
  },
  kind: {
    name: 'kind',
    args: ['version'],
    // k8s/kind-cluster.yaml pins the node image of kind v0.33.0 (by digest); node images are
    // built for the kind release that ships them.
    min: '0.33.0',
    parse: (out) => /v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://kind.sigs.k8s.io/docs/user/quick-start/#installation (brew install kind)',
  },
  kubectl: {
    name: 'kubectl',
    args: ['version', '--client', '-o', 'json'],
    min: '1.31.0',
    parse: (out) => /"gitVersion":\s*"v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://kubernetes.io/docs/tasks/tools/ (brew install kubectl)',
  },
  helm: {
    name: 'helm',
    args: ['version', '--short'],
    min: '3.14.0',
    parse: (out) => /v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://helm.sh/docs/intro/install/ (brew install helm)',
  },
  skaffold: {
    name: 'skaffold',
    args: ['version'],
    min: '2.16.0',
    parse: (out) => /v(\d+\.\d+\.\d+)/.exec(out)?.[1],
    install: 'see https://skaffold.dev/docs/install/ (brew install skaffold)',
  },
};

/** Whether version `a` is at least `b` (x.y.z; a pre-release suffix is ignored). */
export function atLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split(/[.+-]/).slice(0, 3).map(Number));
  for (let i = 0; i < 3; i++)
    if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) > (y?.[i] ?? 0);
  return true;
}

/** The first skaffold release that reads each skaffold.yaml schema version. */
export const SKAFFOLD_FOR_SCHEMA: Readonly<Record<string, string>> = {
  'skaffold/v4beta13': '2.15.0',
  'skaffold/v4beta14': '2.19.0',
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The skaffold version cluster:up needs: TOOLS.skaffold.min, or more if skaffold.yaml asks. */
export function skaffoldMin(skaffoldYaml: string): string {
  const schema = /^apiVersion:\s*(\S+)/m.exec(skaffoldYaml)?.[1] ?? '';
  const forSchema = SKAFFOLD_FOR_SCHEMA[schema];
  return forSchema && atLeast(forSchema, TOOLS.skaffold.min) ? forSchema : TOOLS.skaffold.min;
}

export interface ToolReport {
  /** Installed version of each tool that answered. */
  readonly versions: Partial<Record<string, string>>;
  readonly problems: string[];
}

/** Each tool's version, and a problem naming the tool and how to get it for each one missing. */
export function toolVersions(tools: Tool[], run: Run = capture): ToolReport {
  const versions: Partial<Record<string, string>> = {};
  const problems: string[] = [];
  for (const tool of tools) {
    const { ok, out } = run(tool.name, tool.args);
    const version = ok ? tool.parse(out) : undefined;
    if (!ok && tool.name === 'docker' && !/ENOENT/.test(out)) {
      problems.push(
        `docker is installed but its daemon is not running: start Docker (${out.trim().split('\n')[0] ?? ''})`,
      );
    } else if (!ok || !version) {
      problems.push(`${tool.name} not found: ${tool.install}`);
    } else if (!atLeast(version, tool.min)) {
      problems.push(`${tool.name} ${version} is too old (need >= ${tool.min}): ${tool.install}`);
    } else {
      versions[tool.name] = version;
    }
  }
  return { versions, problems };
}

/** Problems with the given tools (down.mts). */
export function checkTools(tools: Tool[], run: Run = capture): string[] {
  return toolVersions(tools, run).problems;
}

export function failIf(problems: string[]): void {
  if (problems.length === 0) return;
  console.error(`Preflight failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}

/** What preflight found: problems stop cluster:up; fixes are applied to skaffold's run. */
export interface Findings {
  readonly problems: string[];
  /** What was found and fixed, one line each. */
  readonly notes: string[];
  /** Variables added to skaffold's environment. */
  readonly env: Record<string, string>;
  /** A Helm 3 binary skaffold must use instead of the `helm` on PATH. */
  readonly helm3?: string;
}

const none = (): Findings => ({ problems: [], notes: [], env: {} });

/** skaffold #9871 (Helm 4's --post-renderer takes a plugin) was fixed by skaffold #9892. */
export const SKAFFOLD_FOR_HELM4 = '2.17.0';
/** Helm 4.1.4 requires a semver plugin version, which skaffold sends from #10047 on. */
export const SKAFFOLD_FOR_HELM_4_1_4 = '2.19.0';

/** Where a Helm 3 may be, besides JUNCTION_HELM: Homebrew's helm@3 and a `helm3` on PATH. */
export const HELM3_CANDIDATES = [
  'helm3',
  '/opt/homebrew/opt/helm@3/bin/helm',
  '/usr/local/opt/helm@3/bin/helm',
  '/home/linuxbrew/.linuxbrew/opt/helm@3/bin/helm',
];

function findHelm3(run: Run, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = [env.JUNCTION_HELM, ...HELM3_CANDIDATES].filter((c): c is string => !!c);
  return candidates.find((candidate) => {
    const { ok, out } = run(candidate, ['version', '--short']);
    const version = ok ? TOOLS.helm.parse(out) : undefined;
    return version?.startsWith('3.') === true && atLeast(version, TOOLS.helm.min);
  });
}

/**
 * Helm 4 with a skaffold older than the release that drives it: skaffold passes itself as
 * `--post-renderer`, which Helm 4 rejects ("plugin ... not found"). Fixed by pointing skaffold
 * at a Helm 3 when there is one, refused with the exact fix when there is none.
 */
export function helmSkaffoldTrap(
  helm: string,
  skaffold: string,
  run: Run,
  env: NodeJS.ProcessEnv,
): Findings {
  if (!atLeast(helm, '4.0.0')) return none();
  const need = atLeast(helm, '4.1.4') ? SKAFFOLD_FOR_HELM_4_1_4 : SKAFFOLD_FOR_HELM4;
  if (atLeast(skaffold, need)) return none();
  const why = `skaffold ${skaffold} cannot deploy with Helm ${helm} (Helm 4 needs skaffold >= ${need}: skaffold issues #9871${need === SKAFFOLD_FOR_HELM_4_1_4 ? ', #10046' : ''})`;
  const helm3 = findHelm3(run, env);
  if (helm3) return { ...none(), helm3, notes: [`${why}: skaffold uses the Helm 3 at ${helm3}`] };
  return {
    ...none(),
    problems: [
      `${why}. Fix: upgrade skaffold to >= ${need} (brew upgrade skaffold, or https://skaffold.dev/docs/install/), ` +
        'or install Helm 3 and run with JUNCTION_HELM=/path/to/helm3 npm run cluster:up',
    ],
  };
}

/** The parts of `docker info` preflight reads. */
export interface DockerInfo {
  readonly memTotal?: number;
  /** Images live in containerd (Docker Desktop's "Use containerd", Docker 29's default). */
  readonly containerdStore: boolean;
}

export function dockerInfo(run: Run): DockerInfo {
  const info = parseJson(run('docker', ['info', '--format', '{{json .}}'])) as
    { MemTotal?: number; Driver?: string; DriverStatus?: [string, string][] | null } | undefined;
  const status = (info?.DriverStatus ?? []).flat().join(' ');
  return {
    ...(typeof info?.MemTotal === 'number' ? { memTotal: info.MemTotal } : {}),
    containerdStore: /io\.containerd\.snapshotter/.test(`${info?.Driver ?? ''} ${status}`),
  };
}

/**
 * With the containerd image store, BuildKit attaches provenance attestations to every image it
 * builds, and `kind load docker-image` (which skaffold runs) fails to import the result (kind
 * issue #3795). Fixed by building without default attestations.
 */
export function attestationTrap(info: DockerInfo, env: NodeJS.ProcessEnv): Findings {
  if (!info.containerdStore) return none();
  if (env.BUILDX_NO_DEFAULT_ATTESTATIONS !== undefined) {
    return {
      ...none(),
      notes: [
        `Docker uses the containerd image store; BUILDX_NO_DEFAULT_ATTESTATIONS=${env.BUILDX_NO_DEFAULT_ATTESTATIONS} is already set, left as it is`,
      ],
    };
  }
  return {
    ...none(),
    env: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' },
    notes: [
      "Docker uses the containerd image store: skaffold's image builds run with BUILDX_NO_DEFAULT_ATTESTATIONS=1, so that kind can load them (kind issue #3795)",
    ],
  };
}

const GiB = 1024 ** 3;

/** Docker's memory (or the host's, if Docker does not say) against what the flags need. */
export function memoryProblem(memBytes: number, noMesh: boolean): string | undefined {
  const need = noMesh ? 4 : 6;
  if (memBytes >= need * GiB) return undefined;
  return (
    `Docker can use ${(memBytes / GiB).toFixed(1)} GiB of memory; Junction needs ${String(need)} GiB` +
    `${noMesh ? '' : ' (4 GiB with --no-mesh)'}: raise the VM memory in Docker Desktop/OrbStack/Colima settings`
  );
}

/** Who listens on a local port, as far as docker, lsof or ss can tell. */
export function portHolder(port: number, run: Run): string | undefined {
  const container = run('docker', [
    'ps',
    '--filter',
    `publish=${String(port)}`,
    '--format',
    '{{.Names}}',
  ]);
  const name = container.ok ? container.stdout.trim().split('\n')[0] : undefined;
  if (name) {
    const hint =
      name === 'junction-control-plane'
        ? ' — the kind cluster was created by an older k8s/kind-cluster.yaml that maps it; npm run cluster:down, then cluster:up again'
        : '';
    return `Docker container ${name}${hint}`;
  }
  const lsof = run('lsof', ['-nP', `-iTCP:${String(port)}`, '-sTCP:LISTEN', '-Fpc']);
  if (lsof.ok) {
    const pid = /^p(\d+)$/m.exec(lsof.stdout)?.[1];
    const command = /^c(.+)$/m.exec(lsof.stdout)?.[1];
    if (pid) return `${command ?? 'a process'} (pid ${pid}; stop it with kill ${pid})`;
  }
  const ss = run('ss', ['-Hltnp', `sport = :${String(port)}`]);
  const user = ss.ok ? /users:\(\("([^"]+)",pid=(\d+)/.exec(ss.stdout) : null;
  if (user)
    return `${user[1] ?? 'a process'} (pid ${user[2] ?? '?'}; stop it with kill ${user[2] ?? ''})`;
  return undefined;
}

/** True when nothing listens on 127.0.0.1:port. */
export type PortProbe = (port: number) => Promise<boolean>;

/** A problem for each local port cluster:up forwards to that is taken, naming who holds it. */
export async function portProblems(
  wanted: readonly Forward[],
  isFree: PortProbe,
  run: Run,
): Promise<string[]> {
  const problems: string[] = [];
  for (const forward of wanted) {
    if (await isFree(forward.localPort)) continue;
    const holder = portHolder(forward.localPort, run);
    problems.push(
      `port ${String(forward.localPort)} (${forward.what}) is in use${holder ? ` by ${holder}` : ''}: free it, or stop an earlier npm run cluster:up`,
    );
  }
  return problems;
}

export interface PreflightInput {
  readonly noMesh: boolean;
  readonly ports: readonly Forward[];
}

export interface PreflightDeps {
  readonly run: Run;
  readonly isFree: PortProbe;
  readonly env: NodeJS.ProcessEnv;
  /** The host's memory, used when Docker does not report its own. */
  readonly hostMemory: number;
  readonly skaffoldYaml?: string;
}

/** Every check, in the order a person would fix them; the fixes merged. */
export async function preflight(input: PreflightInput, deps: PreflightDeps): Promise<Findings> {
  const skaffoldYaml = deps.skaffoldYaml ?? readFileSync(path.join(root, 'skaffold.yaml'), 'utf8');
  const tools = { ...TOOLS, skaffold: { ...TOOLS.skaffold, min: skaffoldMin(skaffoldYaml) } };
  const { versions, problems } = toolVersions(Object.values(tools), deps.run);
  const found: Findings[] = [{ problems, notes: [], env: {} }];
  if (versions.helm && versions.skaffold)
    found.push(helmSkaffoldTrap(versions.helm, versions.skaffold, deps.run, deps.env));
  if (versions.docker) {
    const info = dockerInfo(deps.run);
    found.push(attestationTrap(info, deps.env));
    const memory = memoryProblem(info.memTotal ?? deps.hostMemory, input.noMesh);
    if (memory) found.push({ ...none(), problems: [memory] });
  }
  found.push({ ...none(), problems: await portProblems(input.ports, deps.isFree, deps.run) });
  const helm3 = found.find((f) => f.helm3)?.helm3;
  return {
    problems: found.flatMap((f) => f.problems),
    notes: found.flatMap((f) => f.notes),
    env: Object.assign({}, ...found.map((f) => f.env)) as Record<string, string>,
    ...(helm3 ? { helm3 } : {}),
  };
}
