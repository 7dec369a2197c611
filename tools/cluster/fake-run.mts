// Test support: a Run that answers from a table of command lines instead of running anything,
// and records what it was asked.
import type { Captured, Run } from './run.mts';

export const ok = (stdout: string): Captured => ({ ok: true, stdout, out: stdout });
export const failed = (out: string): Captured => ({ ok: false, stdout: '', out });
export const missing = (command: string): Captured => failed(`spawnSync ${command} ENOENT`);

export interface FakeRun extends Run {
  /** Every command line asked for, in order. */
  readonly calls: string[];
}

/**
 * Answers `command arg1 arg2…` (joined with spaces) from `answers`, a JSON value as its
 * stdout; anything not in the table is a command that does not exist.
 */
export function fakeRun(answers: Readonly<Record<string, Captured | string | object>>): FakeRun {
  const calls: string[] = [];
  const run = ((command: string, args: readonly string[]) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    const answer = answers[line];
    if (answer === undefined) return missing(command);
    if (typeof answer === 'string') return ok(answer);
    if ('ok' in answer && 'out' in answer) return answer;
    return ok(JSON.stringify(answer));
  }) as FakeRun;
  Object.defineProperty(run, 'calls', { value: calls });
  return run;
}
