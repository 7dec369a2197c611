import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { render } from './charts.mts';
import { ofKind, workloads } from './objects.mts';
import { repoPath } from './repo.mts';

/** A config file the infra chart mounts (charts/junction-infra/files/<name>). */
export const infraFilePath = (name: string): string =>
  repoPath('charts', 'junction-infra', 'files', name);

export const readInfraFile = (name: string): string => readFileSync(infraFilePath(name), 'utf8');

/** `config.yaml` of a ConfigMap of the infra chart, as rendered for the default profile. */
export function mountedConfig(configMap: string): string {
  const found = ofKind<{ data?: Record<string, string> }>(
    render('default').infra,
    'ConfigMap',
  ).find((o) => o.metadata.name === configMap);
  const text = found?.data?.['config.yaml'];
  if (text === undefined) throw new Error(`ConfigMap ${configMap} with config.yaml not rendered`);
  return text;
}

/** The literal env of a Deployment's first container in the infra chart (default profile). */
export function deploymentEnv(deployment: string): Record<string, string> {
  const workload = workloads(render('default').infra).find(
    (w) => w.id === `Deployment/${deployment}`,
  );
  const container = workload?.containers[0];
  if (!container) throw new Error(`Deployment ${deployment} not rendered`);
  return Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
}

/** The variables a collector-style config reads through ${env:NAME} (or ${env:NAME:-default}). */
export function envReferences(config: string): string[] {
  const code = config.replace(/(^|\s)#.*$/gm, '$1');
  const names = [...code.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)].map(
    (m) => m[1] ?? '',
  );
  return [...new Set(names)].sort();
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a binary to completion (bounded by a timeout). */
export function runTool(
  binary: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): RunResult {
  const result = spawnSync(binary, args, {
    encoding: 'utf8',
    cwd: options.cwd,
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export { freePort } from '@junction/testkit';

/** A long-running program under test; `stop()` ends it and waits for its exit. */
export interface Running {
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

export function start(binary: string, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      resolve();
    }),
  );
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A graceful shutdown waits for idle keep-alive connections; the test does not.
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `url` until it answers 200 (or the deadline passes); returns the last response. */
export async function waitFor200(url: string, deadlineMs: number): Promise<Response> {
  const until = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return response;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${deadlineMs} ms (last: ${String(last)})`);
}
