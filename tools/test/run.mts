/**
 * `npm test`: everything, in an order that lets a fresh machine build the pinned Go tools
 * (tools/toolchain, tens of minutes on 2 cores) while the tests that don't need them run:
 *
 *   1. preflight (RabbitMQ, Redis, rabbitmqctl), and the tool build started in the background
 *      (niced) when a tool is missing — its lines are prefixed with [tools];
 *   2. prettier; build, lint and typecheck of every project; the unit and integration tests of
 *      every project but @junction/k8s-checks;
 *   3. the end-to-end tests (the few that run Jaeger or the collector wait for that tool:
 *      awaitTool in tools/toolchain);
 *   4. once the build has ended, @junction/k8s-checks, whose tests run the tools on the artifacts.
 *
 * Stops at the first step that fails (and stops the build, whose unfinished tool is discarded).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOLS, toolPath } from '@junction/toolchain';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHECKS = '@junction/k8s-checks';
const bin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);

const STEPS: readonly (readonly string[])[] = [
  [bin('prettier'), '--check', '.', '--log-level', 'warn'],
  [bin('nx'), 'run-many', '-t', 'build', 'lint', 'typecheck', '--output-style=static'],
  [bin('nx'), 'run-many', '-t', 'test', `--exclude=${CHECKS}`, '--output-style=static'],
  [bin('nx'), 'run', '@junction/e2e:e2e', '--output-style=stream'],
];
const CHECKS_STEP = [bin('nx'), 'run', `${CHECKS}:test`, '--output-style=static'];

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('error', () => {
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function step(command: readonly string[]): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  console.log(`\n> ${[path.basename(file), ...args].join(' ')}`);
  return exitOf(spawn(file, args, { cwd: ROOT, stdio: 'inherit' }));
}

function missingTools(): string[] {
  return TOOLS.filter((spec) => {
    try {
      toolPath(spec.name);
      return false;
    } catch {
      return true;
    }
  }).map((spec) => spec.name);
}

/** The tool build in its own process group, so that stopping it stops its `go` too. */
function startToolBuild(): { child: ChildProcess; done: Promise<number> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'tools', 'toolchain', 'build.mts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) console.log(`[tools] ${line}`);
    });
  }
  return { child, done: exitOf(child) };
}

function stop(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function main(): Promise<number> {
  const preflight = await step([
    process.execPath,
    path.join(ROOT, 'tools', 'test', 'preflight.mts'),
  ]);
  if (preflight !== 0) return preflight;

  const missing = missingTools();
  const build = missing.length > 0 ? startToolBuild() : undefined;
  if (build) {
    console.log(
      `[tools] not built yet: ${missing.join(', ')}; building them beside the tests (npm run tools:build)`,
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (build) stop(build.child);
      process.exit(130);
    });
  }

  for (const command of STEPS) {
    const code = await step(command);
    if (code !== 0) {
      if (build) stop(build.child);
      return code;
    }
  }
  if (build) {
    console.log('\n[tools] waiting for the tool build to end before the checks that run them');
    if ((await build.done) !== 0) {
      console.error('[tools] the tool build failed (see its [tools] lines above)');
      return 1;
    }
  }
  return step(CHECKS_STEP);
}

process.exitCode = await main();
