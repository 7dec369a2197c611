// Injected faults of a running service, set the way a person does (`npm run fault`), in the e2e
// tests' Redis. Every replica re-reads them within a second: wait FAULT_REFRESH_MS after a change.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REDIS_URL } from './environment.mts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'tools', 'fault', 'fault.mts');
const execFileAsync = promisify(execFile);

/** Long enough for every replica to have re-read its faults after a change. */
export const FAULT_REFRESH_MS = 1_500;

/** Runs the fault CLI for `service` (`payment --operation charge --latency 1500`, `--clear`). */
export async function fault(service: 'payment' | 'inventory', ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [
    CLI,
    service,
    ...args,
    '--redis',
    REDIS_URL,
  ]);
  return stdout;
}
