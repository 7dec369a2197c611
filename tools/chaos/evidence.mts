// What a scenario leaves behind for a person to read (in .local/chaos/<scenario>/, git-ignored):
// every service's log, and the ledger and placements the books were checked against.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../local/topology.mts';
import { type Ledger } from './ledger.mts';
import { type Placement } from './load.mts';

export function evidenceDirOf(scenarioName: string): string {
  return join(ROOT, '.local', 'chaos', scenarioName);
}

export async function writeLogs(
  dir: string,
  logs: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [service, lines] of logs)
    await writeFile(join(dir, `${service}.log`), `${lines.join('\n')}\n`);
}

export async function writeLedger(
  dir: string,
  ledger: Ledger,
  placements: readonly Placement[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const evidence = {
    orders: Object.fromEntries(ledger.orders),
    reservations: Object.fromEntries(ledger.reservations),
    payments: Object.fromEntries(ledger.payments),
    captured: [...ledger.captured],
    stock: Object.fromEntries(ledger.stock),
    outboxLength: ledger.outboxLength,
    placements,
  };
  await writeFile(join(dir, 'evidence.json'), `${JSON.stringify(evidence, null, 1)}\n`);
}
