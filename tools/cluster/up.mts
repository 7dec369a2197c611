// npm run cluster:up [-- --dev] [-- --no-mesh] [-- --mesh-faults]
// Preflight (tools, versions, known traps, free ports, memory), creates the kind cluster (if
// missing), repairs Helm releases an interrupted run left pending, deploys everything with
// skaffold, and on failure says which pods are not ready and why. Then it forwards the gateway
// to http://localhost:8080 (the public URL of the local run too), Jaeger and the RabbitMQ UI.
// Node 24 runs this file directly; node: builtins only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '../local/topology.mts';
import { runAttached } from './attached.mts';
import {
  catalogUrl,
  forwards,
  GATEWAY_URL,
  JAEGER_URL,
  RABBITMQ_URL,
  type Forward,
} from './endpoints.mts';
import { RELEASE_NAMESPACES, repairPendingReleases } from './helm-releases.mts';
import { notReadyReport } from './not-ready.mts';
import { failIf, preflight, type Findings } from './preflight.mts';
import { capture } from './run.mts';
import { CLUSTER, CONTEXT, parseUpFlags, skaffoldArgs, USAGE, type UpFlags } from './up-args.mts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });

/** An absolute path for a command name found on PATH (symlinks need one). */
function onPath(command: string): string {
  if (command.includes('/')) return path.resolve(command);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return command;
}

/** skaffold's environment with preflight's fixes: its variables, and a Helm 3 first on PATH. */
function skaffoldEnv(findings: Findings): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...findings.env };
  if (findings.helm3) {
    // skaffold runs `helm` from PATH: a folder holding only a `helm` that is the Helm 3.
    const bin = path.join(root, '.local', 'cluster-bin');
    mkdirSync(bin, { recursive: true });
    rmSync(path.join(bin, 'helm'), { force: true });
    symlinkSync(onPath(findings.helm3), path.join(bin, 'helm'));
    env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  }
  return env;
}

function sh(command: string, args: string[]): number {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

function mustSh(command: string, args: string[]): void {
  const status = sh(command, args);
  if (status !== 0) {
    console.error(`${command} failed (exit ${String(status)})`);
    process.exit(status);
  }
}

function ensureCluster(): void {
  const { out } = capture('kind', ['get', 'clusters']);
  if (out.split('\n').includes(CLUSTER)) {
    console.log(`kind cluster "${CLUSTER}" exists`);
  } else {
    mustSh('kind', ['create', 'cluster', '--config', 'k8s/kind-cluster.yaml', '--wait', '120s']);
  }
  mustSh('kubectl', ['config', 'use-context', CONTEXT]);
}

function repairReleases(): void {
  for (const line of repairPendingReleases(capture, CONTEXT)) console.log(line);
}

/** Prints why the deploy failed (pods not ready) and exits with its code. */
function failWithReport(what: string, code: number): never {
  console.error(`\n${what} failed (exit ${String(code)}).`);
  const report = notReadyReport(capture, CONTEXT, RELEASE_NAMESPACES);
  console.error(
    report.length > 0
      ? report.join('\n')
      : 'Every pod that exists is ready: see the skaffold output above for what failed.',
  );
  console.error('More in docs/kubernetes.md, "Troubleshooting".');
  process.exit(code);
}

function printUrls(flags: UpFlags): void {
  const app = flags.noMesh
    ? `one port per service: ${Object.entries(SERVICES)
        .map(([name, ports]) => `${name} http://localhost:${String(ports.http)}`)
        .join(', ')}`
    : GATEWAY_URL;
  console.log(`
Junction is up.
  App (gateway):  ${app}
  Jaeger UI:      ${JAEGER_URL}
  RabbitMQ UI:    ${RABBITMQ_URL}  (user: kubectl -n junction get secret rabbitmq-credentials -o jsonpath='{.data.username}' | base64 -d)
First request:
  curl -s ${catalogUrl(flags)}
Then see docs/kubernetes.md ("Reading the traces") for a blocking and a queued checkout.
`);
}

/** kubectl port-forward for each local port, restarted when its pod goes away. */
function portForwards(list: readonly Forward[]): void {
  let stopping = false;
  const children = new Set<ChildProcess>();
  const start = (f: Forward): void => {
    const child = spawn(
      'kubectl',
      [
        '--context',
        CONTEXT,
        '-n',
        f.namespace,
        'port-forward',
        `svc/${f.service}`,
        `${String(f.localPort)}:${String(f.port)}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.add(child);
    child.once('exit', () => {
      children.delete(child);
      if (!stopping)
        setTimeout(() => {
          start(f);
        }, 1000);
    });
  };
  list.forEach(start);
  console.log(
    'Port-forwards running; Ctrl-C stops them (the cluster keeps running; npm run cluster:down deletes it).',
  );
  const stop = (): void => {
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function firstRequest(flags: UpFlags): Promise<void> {
  const url = catalogUrl(flags);
  for (let attempt = 0; attempt < 15; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      console.log(
        `GET ${url} -> ${String(response.status)}\n${(await response.text()).slice(0, 400)}`,
      );
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  console.log(`GET ${url} did not answer yet; see docs/kubernetes.md, "Troubleshooting".`);
}

const parsed = parseUpFlags(process.argv.slice(2));
if ('error' in parsed) {
  console.error(parsed.error);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}
const { flags } = parsed;

const started = Date.now();
const findings = await preflight(
  { noMesh: flags.noMesh, ports: forwards(flags) },
  { run: capture, isFree: portIsFree, env: process.env, hostMemory: totalmem() },
);
for (const note of findings.notes) console.log(`preflight: ${note}`);
failIf(findings.problems);
const env = skaffoldEnv(findings);
ensureCluster();
repairReleases();

const args = skaffoldArgs(flags);
console.log(`$ skaffold ${args.join(' ')}`);
if (flags.dev) {
  console.log(
    `skaffold dev stays attached; once deployed it forwards ${flags.noMesh ? 'each service' : GATEWAY_URL}, ${JAEGER_URL} and ${RABBITMQ_URL}.`,
  );
}
const outcome = await runAttached('skaffold', args, { cwd: root, env });
if (outcome.interrupted) {
  repairReleases();
  console.log('skaffold stopped; the cluster keeps running (npm run cluster:down deletes it).');
  process.exit(flags.dev && outcome.code === 0 ? 0 : 130);
}
if (outcome.code !== 0) failWithReport(`skaffold ${args[0] ?? ''}`, outcome.code);
if (flags.dev) process.exit(0);

for (const s of Object.keys(SERVICES)) {
  const status = sh('kubectl', [
    '--context',
    CONTEXT,
    '-n',
    'junction',
    'rollout',
    'status',
    `deployment/${s}`,
    '--timeout=300s',
  ]);
  if (status !== 0) failWithReport(`rollout of ${s}`, status);
}
console.log(`Deployed in ${String(Math.round((Date.now() - started) / 1000))} s.`);
printUrls(flags);
portForwards(forwards(flags));
await firstRequest(flags);
