// Injected faults of a running service, set the way a person does (`npm run fault`, which calls
// the service's /admin/faults with the operator token local runs generate). Every replica applies
// them within a second: wait FAULT_REFRESH_MS after a change.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { portsOf } from '../../../tools/local/topology.mts';
import { PORT_OFFSET } from './environment.mts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'tools', 'fault', 'fault.mts');
const execFileAsync = promisify(execFile);

/** Long enough for every replica to have re-read its faults after a change. */
export const FAULT_REFRESH_MS = 1_500;

/** Runs the fault CLI for `service` (`payment --operation charge --latency 1500`, `--clear`). */
export async function fault(service: 'payment' | 'inventory', ...args: string[]): Promise<string> {
  const url = `http://127.0.0.1:${String(portsOf(service, PORT_OFFSET).http)}`;
  const { stdout } = await execFileAsync(process.execPath, [CLI, service, ...args, '--url', url]);
  return stdout;
}
