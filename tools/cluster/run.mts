// How the cluster scripts run the tools they drive (docker, kind, kubectl, helm, skaffold, lsof):
// one injectable function, so that every decision made on a tool's output can be tested with a
// faked output instead of a real cluster.
import { spawnSync } from 'node:child_process';

/** What a finished command printed, and whether it succeeded. */
export interface Captured {
  readonly ok: boolean;
  /** stdout alone (for JSON). */
  readonly stdout: string;
  /** stdout and stderr (for messages). */
  readonly out: string;
}

/** Runs a command to completion and captures its output (never throws). */
export type Run = (command: string, args: readonly string[]) => Captured;

/** The real runner: spawnSync, no shell. A missing command is `ok: false` with ENOENT in `out`. */
export const capture: Run = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return { ok: false, stdout: '', out: result.error.message };
  return {
    ok: result.status === 0,
    stdout: result.stdout,
    out: `${result.stdout}${result.stderr}`,
  };
};

/** A JSON document printed by a command, or undefined when it failed or printed something else. */
export function parseJson(result: Captured): unknown {
  if (!result.ok) return undefined;
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    return undefined;
  }
}
