// npm run cluster:down [-- --keep-cluster]
// Deletes the kind cluster (everything in it, including the RabbitMQ/Redis volumes), or with
// --keep-cluster only what skaffold deployed. Node 24 runs this file directly; node: builtins only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { capture, checkTools, CLUSTER, CONTEXT, failIf, TOOLS } from './preflight.mts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({
  options: { 'keep-cluster': { type: 'boolean', default: false } },
});

function sh(command: string, args: string[]): number {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

if (flags['keep-cluster']) {
  failIf(checkTools([TOOLS.kubectl, TOOLS.helm, TOOLS.skaffold]));
  process.exit(sh('skaffold', ['delete', '--kube-context', CONTEXT]));
}
failIf(checkTools([TOOLS.docker, TOOLS.kind]));
if (!capture('kind', ['get', 'clusters']).out.split('\n').includes(CLUSTER)) {
  console.log(`No kind cluster "${CLUSTER}"; nothing to do.`);
  process.exit(0);
}
process.exit(sh('kind', ['delete', 'cluster', '--name', CLUSTER]));
