// `npm run fault` from a scenario: the services' runtime faults, set in the scenario's Redis.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../local/topology.mts';

const execFileAsync = promisify(execFile);

/** `npm run fault -- <service> <args>` against the scenario's Redis. */
export async function serviceFault(
  redisUrl: string,
  service: 'payment' | 'inventory',
  args: readonly string[],
): Promise<void> {
  await execFileAsync(
    process.execPath,
    [join(ROOT, 'tools', 'fault', 'fault.mts'), service, ...args, '--redis', redisUrl],
    { timeout: 15_000 },
  );
}
