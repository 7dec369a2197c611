// `npm run fault` from a scenario: a service's runtime faults, through its /admin/faults on the
// chaos ports (the operator token is the one local runs generate).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { portsOf, ROOT } from '../local/topology.mts';
import { CHAOS_PORT_OFFSET } from './settings.mts';

const execFileAsync = promisify(execFile);

/** `npm run fault -- <service> <args>` against the scenario's service. */
export async function serviceFault(
  service: 'payment' | 'inventory',
  args: readonly string[],
): Promise<void> {
  const url = `http://127.0.0.1:${String(portsOf(service, CHAOS_PORT_OFFSET).http)}`;
  await execFileAsync(
    process.execPath,
    [join(ROOT, 'tools', 'fault', 'fault.mts'), service, ...args, '--url', url],
    { timeout: 15_000 },
  );
}
