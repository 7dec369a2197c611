// The arithmetic of the footprint tool: what a batch of orders added to Redis, family by family
// (MEMORY USAGE before and after), and what that means at a rate of orders per day.
import { type KeyFamily } from '@junction/testkit';

/** One key as measured: its bytes (MEMORY USAGE) and its PTTL (-1: no TTL). */
export interface MeasuredKey {
  readonly bytes: number;
  readonly ttlMs: number;
}

export interface FamilyFootprint {
  readonly family: string;
  /** Keys the batch added (new keys; a key that grew counts its growth, not itself). */
  readonly newKeys: number;
  readonly bytesPerOrder: number;
  /** How long the family's keys live: the longest PTTL seen, or undefined if they are kept. */
  readonly retentionSeconds: number | undefined;
}

/**
 * Per family, the bytes the batch of `orders` added (after − before, per order), and how long
 * they stay. Families that did not grow are left out; keys of no family are `(no family)`.
 */
export function footprintOf(
  before: ReadonlyMap<string, MeasuredKey>,
  after: ReadonlyMap<string, MeasuredKey>,
  orders: number,
  familyOf: (key: string) => KeyFamily | undefined,
): FamilyFootprint[] {
  const byFamily = new Map<string, { bytes: number; newKeys: number; maxTtlMs: number }>();
  for (const [key, measured] of after) {
    const name = familyOf(key)?.name ?? '(no family)';
    const entry = byFamily.get(name) ?? { bytes: 0, newKeys: 0, maxTtlMs: -1 };
    const earlier = before.get(key);
    entry.bytes += measured.bytes - (earlier?.bytes ?? 0);
    if (!earlier) entry.newKeys += 1;
    if (measured.ttlMs === -1) entry.maxTtlMs = Infinity;
    else entry.maxTtlMs = Math.max(entry.maxTtlMs, measured.ttlMs);
    byFamily.set(name, entry);
  }
  return [...byFamily.entries()]
    .filter(([, entry]) => entry.bytes > 0)
    .map(([family, entry]) => ({
      family,
      newKeys: entry.newKeys,
      bytesPerOrder: entry.bytes / orders,
      retentionSeconds: entry.maxTtlMs === Infinity ? undefined : Math.round(entry.maxTtlMs / 1000),
    }))
    .sort((a, b) => b.bytesPerOrder - a.bytesPerOrder);
}

export interface SteadyState {
  /** Bytes per order while every family is retained (right after the order ended). */
  readonly bytesPerOrder: number;
  /** Bytes per order that are never expired (kept families that grew): they add up forever. */
  readonly keptBytesPerOrder: number;
  /** Byte-days per order: Σ bytes × retention in days, what one order per day costs for good. */
  readonly byteDaysPerOrder: number;
}

/** Sums a footprint into what one order costs, at once and over its retention. */
export function steadyStateOf(families: readonly FamilyFootprint[]): SteadyState {
  let bytesPerOrder = 0;
  let keptBytesPerOrder = 0;
  let byteDaysPerOrder = 0;
  for (const family of families) {
    bytesPerOrder += family.bytesPerOrder;
    if (family.retentionSeconds === undefined) keptBytesPerOrder += family.bytesPerOrder;
    else byteDaysPerOrder += (family.bytesPerOrder * family.retentionSeconds) / 86_400;
  }
  return { bytesPerOrder, keptBytesPerOrder, byteDaysPerOrder };
}

const MIB = 2 ** 20;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;
const duration = (seconds: number | undefined): string => {
  if (seconds === undefined) return 'kept';
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(seconds % 86_400 ? 1 : 0)} d`;
  if (seconds >= 3_600) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${String(seconds)} s`;
};

/** The report: a table per path, then the arithmetic at `ordersPerDay` against `maxmemory`. */
export function report(
  paths: readonly { readonly name: string; readonly families: readonly FamilyFootprint[] }[],
  ordersPerDay: number,
  maxmemoryBytes: number,
  baselineBytes: number,
): string {
  const lines: string[] = [];
  for (const path of paths) {
    const state = steadyStateOf(path.families);
    lines.push(
      `\n${path.name}: ${state.bytesPerOrder.toFixed(0)} bytes per order while retained, ` +
        `${state.keptBytesPerOrder.toFixed(0)} bytes per order kept for good`,
      '| family | new keys | bytes per order | retention |',
      '|---|--:|--:|--:|',
      ...path.families.map(
        (f) =>
          `| \`${f.family}\` | ${String(f.newKeys)} | ${f.bytesPerOrder.toFixed(0)} | ${duration(f.retentionSeconds)} |`,
      ),
    );
  }
  const worst = paths
    .map((path) => ({ name: path.name, state: steadyStateOf(path.families) }))
    .sort((a, b) => b.state.byteDaysPerOrder - a.state.byteDaysPerOrder)[0];
  if (worst) {
    const steady = worst.state.byteDaysPerOrder * ordersPerDay;
    const room = maxmemoryBytes - baselineBytes;
    const fits = room / worst.state.byteDaysPerOrder;
    lines.push(
      '',
      `At ${String(ordersPerDay)} orders/day, all ${worst.name} (the costlier path): ` +
        `${worst.state.byteDaysPerOrder.toFixed(0)} byte-days per order × ${String(ordersPerDay)} ` +
        `= ${mib(steady)} held once the retentions have filled up.`,
      `maxmemory ${mib(maxmemoryBytes)} − ${mib(baselineBytes)} in use before the orders ` +
        `= ${mib(room)}: room for about ${Math.floor(fits).toLocaleString('en')} orders/day ` +
        `(${mib(steady)} of it used${steady > room ? ': Redis would refuse writes' : ''}).`,
    );
    if (worst.state.keptBytesPerOrder > 0) {
      lines.push(
        `${worst.state.keptBytesPerOrder.toFixed(0)} bytes per order never expire: ` +
          `${mib(worst.state.keptBytesPerOrder * ordersPerDay)} more every day, without bound.`,
      );
    }
  }
  return lines.join('\n');
}
