// npm run cluster:up [-- --dev] [-- --no-mesh] [-- --mesh-faults]
// Preflight (tools, versions, known traps, free ports, memory), creates the kind cluster (if
// missing), repairs Helm releases an interrupted run left pending, deploys everything with
// skaffold, and on failure says which pods are not ready and why. Then it forwards the gateway
// to http://localhost:8080 (the public URL of the local run too), Jaeger and the RabbitMQ UI.
// Node 24 runs this file directly; node: builtins only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '../local/topology.mts';
import { runAttached } from './attached.mts';
import { deploy } from './deploy.mts';
import {
  catalogUrl,
  forwards,
  GATEWAY_URL,
  JAEGER_URL,
  RABBITMQ_URL,
  STOREFRONT_URL,
  type Forward,
} from './endpoints.mts';
import { capture } from './run.mts';
import { CONTEXT, type UpFlags } from './up-args.mts';

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

function sh(command: string, args: string[]): number {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

function printUrls(flags: UpFlags): void {
  const app = flags.noMesh
    ? `one port per service: ${Object.entries(SERVICES)
        .map(([name, ports]) => `${name} http://localhost:${String(ports.http)}`)
        .join(', ')}`
    : GATEWAY_URL;
  // Without the mesh there is no gateway, so no one origin for the storefront's UI and API.
  const storefront = flags.noMesh ? '' : `\n  Storefront:     ${STOREFRONT_URL}`;
  console.log(`
Junction is up.${storefront}
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

const started = Date.now();
const { code, ready } = await deploy(process.argv.slice(2), {
  run: capture,
  sh,
  skaffold: (args, env) => runAttached('skaffold', args, { cwd: root, env }),
  isFree: portIsFree,
  env: process.env,
  hostMemory: totalmem(),
  binDir: path.join(root, '.local', 'cluster-bin'),
  log: (line) => {
    console.log(line);
  },
  error: (line) => {
    console.error(line);
  },
});
if (!ready) process.exit(code);
console.log(`Deployed in ${String(Math.round((Date.now() - started) / 1000))} s.`);
printUrls(ready);
portForwards(forwards(ready));
await firstRequest(ready);
