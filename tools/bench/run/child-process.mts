// A helper process of the bench (the raw floor, the OTLP sink): spawned from a .mts file, it
// announces itself with one JSON line on stdout; `stop` ends it with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { reap } from './reaper.mts';

export interface HelperProcess<T> {
  readonly announced: T;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startHelper<T>(
  file: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<HelperProcess<T>> {
  const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  reap(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const announced = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${file} did not start within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${String(code)} before it started`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    announced,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
