// The Docker client the image scripts use, and a small way to run it.
// BuildKit builds need either a client with the buildx plugin or a classic client older than
// 23.0 (which has BuildKit built in and uses it with DOCKER_BUILDKIT=1). A newer client without
// buildx refuses BuildKit builds, so the first `docker` on PATH is not always the right one:
// JUNCTION_DOCKER names a client explicitly; otherwise the first client that can build wins.
import { spawn, spawnSync } from 'node:child_process';

const CANDIDATES = [process.env.JUNCTION_DOCKER, 'docker', '/usr/bin/docker'].filter(
  (candidate): candidate is string => Boolean(candidate),
);

/** Environment for every docker call: BuildKit on, plain progress for logs. */
export const DOCKER_ENV = { ...process.env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' };

function output(client: string, args: string[]): string | undefined {
  const result = spawnSync(client, args, { encoding: 'utf8', env: DOCKER_ENV, timeout: 15_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Whether `client` can run a BuildKit build (buildx plugin, or BuildKit built into the CLI). */
function buildsWithBuildKit(client: string): boolean {
  if (output(client, ['buildx', 'version']) !== undefined) return true;
  const version = output(client, ['version', '--format', '{{.Client.Version}}']);
  const major = Number(/^(\d+)\./.exec(version ?? '')?.[1] ?? NaN);
  return major < 23;
}

let chosen: string | undefined;

/** The docker client to use; throws naming what was tried when none can build. */
export function dockerClient(): string {
  if (chosen) return chosen;
  const found = CANDIDATES.find(buildsWithBuildKit);
  if (!found) {
    throw new Error(
      `no docker client that can build with BuildKit (tried ${CANDIDATES.join(', ')}): ` +
        'install the buildx plugin, or set JUNCTION_DOCKER to a client older than 23.0',
    );
  }
  return (chosen = found);
}

/** Whether a Docker engine answers (the client reaches a daemon). */
export function engineAnswers(): boolean {
  return CANDIDATES.some(
    (client) => output(client, ['version', '--format', '{{.Server.Version}}']) !== undefined,
  );
}

/** Runs docker and returns its stdout; throws with its stderr when it fails. */
export function dockerOutput(args: string[]): string {
  const result = spawnSync(dockerClient(), args, {
    encoding: 'utf8',
    env: DOCKER_ENV,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`docker ${args.join(' ')} failed: ${result.stderr || String(result.error)}`);
  }
  return result.stdout.trim();
}

/** Whether a local image with this reference exists. */
export function imageExists(reference: string): boolean {
  return (
    spawnSync(dockerClient(), ['image', 'inspect', reference], { stdio: 'ignore' }).status === 0
  );
}

/**
 * Runs docker with its output streamed to ours (or to `onLine`); resolves on exit 0, rejects
 * otherwise. `input` is piped to its stdin (e.g. a tar stream for `docker import -`).
 */
export function runDocker(
  args: string[],
  options: { input?: NodeJS.ReadableStream; onLine?: (line: string) => void } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(dockerClient(), args, {
      env: DOCKER_ENV,
      stdio: [options.input ? 'pipe' : 'ignore', options.onLine ? 'pipe' : 'inherit', 'pipe'],
    });
    let tail = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-4000);
      const { onLine } = options;
      if (!onLine) {
        process.stderr.write(text);
        return;
      }
      for (const line of text.split('\n')) if (line) onLine(line);
    };
    child.stderr?.on('data', take);
    child.stdout?.on('data', take);
    if (options.input && child.stdin) options.input.pipe(child.stdin);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(new Error(`docker ${args.slice(0, 2).join(' ')} exited ${String(code)}:\n${tail}`));
    });
  });
}
