// Runs skaffold so that Ctrl-C never cuts a Helm operation in half: skaffold runs in its own
// process group (the terminal's Ctrl-C reaches only cluster:up), cluster:up forwards exactly one
// SIGINT to it and waits for it to finish — skaffold then ends its helm call cleanly. A second
// Ctrl-C only says what is happening; a third kills skaffold (the next cluster:up repairs any
// release that leaves pending, see helm-releases.mts).
import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';

export interface Outcome {
  /** The exit code (128 + signal number when it died of a signal). */
  readonly code: number;
  /** Whether the user interrupted it. */
  readonly interrupted: boolean;
}

export interface AttachedOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where SIGINT/SIGTERM/SIGHUP arrive (default: this process). */
  readonly signals?: EventEmitter;
  readonly log?: (line: string) => void;
  /** stdout/stderr of the child (default: this terminal). */
  readonly stdio?: 'inherit' | 'ignore';
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGTERM: 15,
};
const STOPPING = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function runAttached(
  command: string,
  args: readonly string[],
  options: AttachedOptions = {},
): Promise<Outcome> {
  const signals = options.signals ?? process;
  const log =
    options.log ??
    ((line: string) => {
      console.error(line);
    });
  const stdio = options.stdio ?? 'inherit';
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', stdio, stdio],
    detached: true,
  });
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      log(
        `\nStopping ${command}: waiting for it to finish its Helm release (Ctrl-C twice more to kill it)…`,
      );
      child.kill('SIGINT');
    } else if (interrupts === 2) {
      log(
        `Still waiting for ${command}: killing it now can leave a Helm release pending (Ctrl-C once more to kill it anyway).`,
      );
    } else {
      child.kill('SIGKILL');
    }
  };
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  for (const signal of STOPPING) signals.on(signal, onSignal);
  process.on('exit', onExit);
  return new Promise((resolve) => {
    let settled = false;
    const done = (code: number): void => {
      if (settled) return;
      settled = true;
      for (const signal of STOPPING) signals.off(signal, onSignal);
      process.off('exit', onExit);
      resolve({ code, interrupted: interrupts > 0 });
    };
    child.once('error', (error) => {
      log(`${command}: ${error.message}`);
      done(127);
    });
    child.once('exit', (code, signal) => {
      done(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 1) : 1));
    });
  });
}
