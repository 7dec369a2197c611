// Runs inside the `dev` image under `skaffold dev`: compiles the libs and one service with
// `tsc --watch` and restarts the service with `node --watch` whenever its output changes.
// skaffold syncs edited TypeScript into /workspace/{libs,services}/*/src, so a change to a .ts
// file needs no image rebuild. Node 24 runs this file directly; node: builtins only.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const service = process.env.SERVICE ?? process.argv[2];
if (!service || !existsSync(path.join('services', service, 'package.json'))) {
  console.error(`dev-watch: set SERVICE to a folder of services/ (got ${service ?? 'nothing'})`);
  process.exit(2);
}

const tsc = path.resolve('node_modules', 'typescript', 'bin', 'tsc');
const children: ChildProcess[] = [];

function run(label: string, args: string[], cwd = '.'): ChildProcess {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    console.error(`dev-watch: ${label} exited (${signal ?? String(code)})`);
    shutdown(1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 15_000).unref();
  void Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve)))).then(
    () => process.exit(code),
  );
}
process.on('SIGTERM', () => {
  shutdown(0);
});
process.on('SIGINT', () => {
  shutdown(0);
});

const projects = [
  ...readdirSync('libs').map((lib) => path.join('libs', lib)),
  path.join('services', service),
].filter((dir) => existsSync(path.join(dir, 'tsconfig.build.json')));

for (const dir of projects) {
  run(`tsc ${dir}`, [
    tsc,
    '-p',
    path.join(dir, 'tsconfig.build.json'),
    '--watch',
    '--preserveWatchOutput',
  ]);
}

const main = path.join('services', service, 'dist', 'main.js');
while (!existsSync(main)) await sleep(500);
run(
  service,
  ['--watch', '--watch-preserve-output', 'dist/main.js'],
  path.join('services', service),
);
