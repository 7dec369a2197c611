// The schedule of an open-loop load: arrival i is due at i / rate, whatever the answers do (a
// slow or failing service does not slow the arrivals down, as with real shoppers, so its
// queueing shows). What an arrival does is the caller's; the schedule only keeps time.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ArrivalRate {
  readonly ratePerSecond: number;
  readonly durationMs: number;
}

export interface Arrivals {
  /** How many arrived: the plan's count, or fewer when stopped early. */
  readonly count: number;
  /** How long orders arrived: the plan's duration, or less when stopped early. */
  readonly arrivalsMs: number;
  /** The worst delay between an arrival's due time and its start: the generator's own lag. */
  readonly maxSendLagMs: number;
}

/**
 * Calls `arrive(index, dueMs)` for each arrival on schedule (`dueMs` after `zero`, a
 * performance.now() time) until the plan's count or `stop`; resolves once every promise an
 * arrival returned has settled.
 */
export async function openLoop(
  rate: ArrivalRate,
  arrive: (index: number, dueMs: number) => Promise<void>,
  options: { readonly zero?: number; readonly stop?: AbortSignal | undefined } = {},
): Promise<Arrivals> {
  const zero = options.zero ?? performance.now();
  const now = (): number => performance.now() - zero;
  const total = Math.round((rate.ratePerSecond * rate.durationMs) / 1000);
  const interval = 1000 / rate.ratePerSecond;
  const outstanding: Promise<void>[] = [];
  let maxSendLagMs = 0;
  while (outstanding.length < total && !options.stop?.aborted) {
    const at = now();
    while (outstanding.length < total && outstanding.length * interval <= at) {
      const index = outstanding.length;
      maxSendLagMs = Math.max(maxSendLagMs, at - index * interval);
      outstanding.push(arrive(index, index * interval));
    }
    await sleep(Math.max(0, outstanding.length * interval - now()));
  }
  await Promise.all(outstanding);
  return {
    count: outstanding.length,
    arrivalsMs: Math.min(rate.durationMs, outstanding.length * interval),
    maxSendLagMs: Math.round(maxSendLagMs),
  };
}
