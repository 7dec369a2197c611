// npm run cluster:up [-- --dev] [-- --no-mesh] [-- --mesh-faults]
// Creates the kind cluster (if missing), deploys everything with skaffold, waits for the
// rollout and prints where to look. Node 24 runs this file directly; node: builtins only.
import { spawn, spawnSync } from 'node:child_process';
import { totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '../local/topology.mts';
import { capture, checkTools, CLUSTER, CONTEXT, failIf, TOOLS } from './preflight.mts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({
  options: {
    dev: { type: 'boolean', default: false },
    'no-mesh': { type: 'boolean', default: false },
    'mesh-faults': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`usage: npm run cluster:up [-- --dev] [-- --no-mesh] [-- --mesh-faults]
  --dev          skaffold dev: sync TypeScript into the pods and rebuild there (stays attached)
  --no-mesh      no Istio (small laptops): services reached through port-forwards
  --mesh-faults  Envoy delays every call to payment by 300 ms`);
  process.exit(0);
}
if (flags['no-mesh'] && flags['mesh-faults'])
  failIf(['--mesh-faults needs the mesh: drop --no-mesh']);

const GiB = 1024 ** 3;
const NEED_GIB = flags['no-mesh'] ? 4 : 6;

function preflight(): void {
  const problems = checkTools(Object.values(TOOLS));
  if (problems.length === 0) {
    const { out } = capture('docker', ['info', '--format', '{{.MemTotal}}']);
    const dockerMem = Number(out.trim());
    const mem = Number.isFinite(dockerMem) && dockerMem > 0 ? dockerMem : totalmem();
    if (mem < NEED_GIB * GiB) {
      problems.push(
        `Docker can use ${(mem / GiB).toFixed(1)} GiB of memory; Junction needs ${String(NEED_GIB)} GiB` +
          `${flags['no-mesh'] ? '' : ' (4 GiB with --no-mesh)'}: raise the VM memory in Docker Desktop/OrbStack/Colima settings`,
      );
    }
  }
  failIf(problems);
}

function sh(command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} failed (exit ${String(result.status)})`);
    process.exit(result.status ?? 1);
  }
}

function ensureCluster(): void {
  const { out } = capture('kind', ['get', 'clusters']);
  if (out.split('\n').includes(CLUSTER)) {
    console.log(`kind cluster "${CLUSTER}" exists`);
  } else {
    sh('kind', ['create', 'cluster', '--config', 'k8s/kind-cluster.yaml', '--wait', '120s']);
  }
  sh('kubectl', ['config', 'use-context', CONTEXT]);
}

function skaffoldArgs(): string[] {
  const args = ['--kube-context', CONTEXT];
  if (flags['no-mesh']) args.push('-m', 'app', '-p', 'no-mesh');
  if (flags['mesh-faults']) args.push('-p', 'mesh-faults');
  return args;
}

function printUrls(): void {
  const app = flags['no-mesh']
    ? `one port per service: ${Object.entries(SERVICES)
        .map(([name, ports]) => `${name} http://localhost:${String(ports.http)}`)
        .join(', ')}`
    : 'http://localhost:8080';
  const inventory = flags['no-mesh'] ? 'http://localhost:3005' : 'http://localhost:8080';
  console.log(`
Junction is up.
  App (gateway):  ${app}
  Jaeger UI:      http://localhost:16686
  RabbitMQ UI:    http://localhost:15672  (user: kubectl -n junction get secret rabbitmq-credentials -o jsonpath='{.data.username}' | base64 -d)
First request:
  curl -s ${inventory}/inventory/items
Then see docs/kubernetes.md ("Reading the traces") for a blocking and a queued checkout.
`);
}

function portForwards(): void {
  const forwards: [string, string][] = [
    ['svc/jaeger', '16686:16686'],
    ['svc/rabbitmq', '15672:15672'],
  ];
  if (flags['no-mesh'])
    for (const [name, ports] of Object.entries(SERVICES))
      forwards.push([`svc/${name}`, `${String(ports.http)}:${String(ports.http)}`]);
  const children = forwards.map(([target, ports]) =>
    spawn('kubectl', ['--context', CONTEXT, '-n', 'junction', 'port-forward', target, ports], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  console.log(
    'Port-forwards running; Ctrl-C stops them (the cluster keeps running; npm run cluster:down deletes it).',
  );
  const stop = (): void => {
    for (const c of children) c.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function firstRequest(): Promise<void> {
  const url = `${flags['no-mesh'] ? 'http://localhost:3005' : 'http://localhost:8080'}/inventory/items`;
  for (let attempt = 0; attempt < 10; attempt++) {
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

const started = Date.now();
preflight();
ensureCluster();
if (flags.dev) {
  // skaffold dev stays attached: it port-forwards (skaffold.yaml portForward) and syncs files.
  sh('skaffold', ['dev', '--port-forward', '--cleanup=false', ...skaffoldArgs()]);
} else {
  sh('skaffold', ['run', '--status-check=true', ...skaffoldArgs()]);
  for (const s of Object.keys(SERVICES))
    sh('kubectl', [
      '--context',
      CONTEXT,
      '-n',
      'junction',
      'rollout',
      'status',
      `deployment/${s}`,
      '--timeout=300s',
    ]);
  console.log(`Deployed in ${String(Math.round((Date.now() - started) / 1000))} s.`);
  printUrls();
  portForwards();
  await firstRequest();
}
