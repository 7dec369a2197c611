// Notes every scenario gets in the results table: what the callers saw (refusals, latency per
// path) and how the orders ended that were not plainly confirmed or rejected by the domain.
import { type Ledger } from './ledger.mts';
import { isAccepted, type Placement } from './load.mts';

export function describeOutcomes(placements: readonly Placement[], ledger: Ledger): string[] {
  const notes: string[] = [];
  const refused = placements.filter((placement) => !isAccepted(placement));
  if (refused.length > 0)
    notes.push(`refused ${refused.length} (${tally(refused.map(refusalOf))})`);
  const unusual = [...ledger.orders.values()]
    .filter((order) => order.status === 'rejected')
    .map((order) => order.reason)
    .filter((reason) => !['out_of_stock', 'payment_declined'].includes(reason));
  if (unusual.length > 0) notes.push(`rejected as ${tally(unusual)}`);
  const p50 = (mode: Placement['mode']) =>
    median(placements.filter((p) => isAccepted(p) && p.mode === mode).map((p) => p.latencyMs ?? 0));
  notes.push(
    `p50 answer: blocking ${formatMs(p50('blocking'))}, queued ${formatMs(p50('queued'))}`,
  );
  return notes;
}

function refusalOf(placement: Placement): string {
  return placement.httpStatus === undefined
    ? (placement.error ?? 'no answer')
    : String(placement.httpStatus);
}

/** "503 ×4, TypeError: fetch failed ×2" */
function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ×${count}`).join(', ');
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
