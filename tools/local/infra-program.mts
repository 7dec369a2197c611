// What tools/local/jaeger.mts and collector.mts share: a pinned Go program (tools/toolchain)
// run as a child process with one of the infra chart's config files, its listeners set through
// the ${env:VAR}s the chart's Deployment sets, and waited for on its health endpoint; plus the
// chart's own numbers for them (the ports of _helpers.tpl's infra.ports, the sizes in
// values.yaml), so a local run and the cluster read them from one place.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildCommand, toolPath, type ToolName } from '@junction/toolchain';
import { parse } from 'yaml';

const INFRA_CHART = join(import.meta.dirname, '..', '..', 'charts', 'junction-infra');

/** A config file the infra chart mounts as is (its ConfigMap's config.yaml). */
export function infraConfigPath(file: 'jaeger.yaml' | 'otel-collector.yaml'): string {
  return join(INFRA_CHART, 'files', file);
}

/** The ports the chart gives the collector and Jaeger (`infra.ports` in templates/_helpers.tpl). */
export function chartInfraPorts(): Record<'otelCollector' | 'jaeger', Record<string, number>> {
  const helpers = readFileSync(join(INFRA_CHART, 'templates', '_helpers.tpl'), 'utf8');
  const body = /\{\{-? define "infra\.ports" -?\}\}\n([\s\S]*?)\{\{-? end/.exec(helpers)?.[1];
  if (body === undefined) throw new Error('charts/junction-infra: no define "infra.ports"');
  return parse(body) as Record<'otelCollector' | 'jaeger', Record<string, number>>;
}

/** The infra chart's values.yaml. */
export function chartInfraValues(): Record<string, unknown> {
  return parse(readFileSync(join(INFRA_CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for runs beside the default ports). */
export { freePort as freeLoopbackPort } from '@junction/testkit';

/** Thrown when the pinned binary is not in the cache; the message names the command. */
export class ProgramNotBuiltError extends Error {
  readonly command: string;

  constructor(name: ToolName, reason: string) {
    super(reason);
    this.name = 'ProgramNotBuiltError';
    this.command = buildCommand(name);
  }
}

export interface ProgramOptions {
  readonly tool: ToolName;
  readonly config: string;
  readonly env: Readonly<Record<string, string>>;
  /** Answers 200 once every component is up. */
  readonly healthUrl: string;
  readonly timeoutMs?: number;
  /** Each line the program logs; default: kept for error messages only. */
  readonly onLine?: (line: string) => void;
}

export interface RunningProgram {
  readonly config: string;
  /** The program's last log lines (for a failure message). */
  output(): string;
  /** SIGTERM, SIGKILL after 3 s (idle keep-alive connections hold a graceful stop); resolves once it has exited. */
  stop(): Promise<void>;
}

const KEPT_LINES = 200;

/** Starts the program, resolves once its health endpoint answers 200. */
export async function startProgram(options: ProgramOptions): Promise<RunningProgram> {
  let binary: string;
  try {
    binary = toolPath(options.tool);
  } catch (error) {
    throw new ProgramNotBuiltError(
      options.tool,
      error instanceof Error ? error.message : String(error),
    );
  }
  const child = spawn(binary, [`--config=${options.config}`], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      options.onLine?.(line);
    });
  }
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  // Never outlive the process that started it (npm start exiting on an error, a test failing).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const program: RunningProgram = {
    config: options.config,
    output: () => lines.join('\n'),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
  try {
    await waitForHealth(child, options.healthUrl, options.timeoutMs ?? 30_000);
  } catch (error) {
    await program.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${options.tool}: ${reason}\n--- its last lines ---\n${program.output()}`);
  }
  return program;
}

async function waitForHealth(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${String(child.exitCode ?? child.signalCode)}) before it was up`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${String(response.status)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${String(timeoutMs)} ms (last: ${last})`);
}
