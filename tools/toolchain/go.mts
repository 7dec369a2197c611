import { spawn, spawnSync } from 'node:child_process';

/** Runs a command to completion with its output passed through; rejects on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? String(code)}`));
    });
  });
}

/**
 * Builds run at low priority: the machines that build these are small and shared. A module is
 * built as the main module of its own folder, so a go.work shipped in it is ignored (GOWORK=off),
 * as `go install module@version` would: Prometheus's names folders its module zip lacks.
 */
export function niceGo(args: readonly string[], cwd: string): Promise<void> {
  return run('nice', ['-n', '10', 'go', ...args], cwd, { ...process.env, GOWORK: 'off' });
}

interface DownloadedModule {
  readonly Dir?: string;
  readonly Error?: string;
}

/**
 * The extracted source of a module version in the Go module cache (downloaded when missing).
 * The folder is read-only: builds there write only to the Go build cache and their -o path.
 */
export function goModuleDir(module: string, version: string): string {
  const result = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`go not found: ${result.error.message}`);
  const info = JSON.parse(result.stdout || '{}') as DownloadedModule;
  if (result.status !== 0 || !info.Dir) {
    throw new Error(`go mod download ${module}@${version}: ${info.Error ?? result.stderr}`);
  }
  return info.Dir;
}

export function goVersion(): string {
  return spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
}
