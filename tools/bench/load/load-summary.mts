// What one open-loop run amounts to, per checkout path: how many orders were accepted, how fast
// (accept latency), how long until they were terminal (completion latency), how many confirmed
// per second inside the load window, and what went wrong.
import { type CheckoutMode, isAccepted, type OpenLoopRun, type Placement } from './open-loop.mts';
import { type LatencySummary, type SamplesFactory, SortedSamples } from './latency-samples.mts';

export interface PathSummary {
  readonly mode: CheckoutMode;
  readonly sent: number;
  readonly accepted: number;
  /** Not accepted (no 201/202), by kind. */
  readonly errors: Readonly<Record<string, number>>;
  /** Share of orders sent that were not accepted. */
  readonly errorRate: number;
  /** Due time → 201/202 answer. */
  readonly acceptLatency: LatencySummary;
  /** Due time → terminal status known to the client (201 body, or the events stream). */
  readonly completionLatency: LatencySummary;
  readonly confirmed: number;
  /** Terminal but not confirmed, by reason (payment_unavailable, out_of_stock, …). */
  readonly rejected: Readonly<Record<string, number>>;
  /** Accepted, but the client never saw a terminal status (the watch ended first). */
  readonly unobserved: number;
  /**
   * Orders confirmed (as seen by the client) per second while the load was running, counted
   * over the last 80 % of the window; at a rate the path keeps up with, the offered rate.
   */
  readonly confirmedPerSecond: number;
}

const RAMP_SHARE = 0.2;

export interface LoadSummary {
  readonly offeredPerSecond: number;
  readonly durationS: number;
  readonly maxSendLagMs: number;
  readonly paths: PathSummary[];
}

/** One second of the run (by due time), for the charts of a fault. */
export interface Second {
  readonly second: number;
  readonly mode: CheckoutMode;
  readonly sent: number;
  readonly failed: number;
  readonly acceptP99: number;
  /** Orders of this path that became terminal during this second. */
  readonly completed: number;
}

/** `samples` makes each latency summary's samples (the bench passes its HDR histograms). */
export function summarize(
  run: OpenLoopRun,
  samples: SamplesFactory = () => new SortedSamples(),
): LoadSummary {
  const modes = [...new Set(run.placements.map((p) => p.mode))];
  return {
    offeredPerSecond: run.plan.ratePerSecond,
    durationS: Math.round(run.arrivalsMs / 100) / 10,
    maxSendLagMs: run.maxSendLagMs,
    paths: modes.map((mode) =>
      summarizePath(
        mode,
        run.placements.filter((p) => p.mode === mode),
        run.arrivalsMs,
        samples,
      ),
    ),
  };
}

function summarizePath(
  mode: CheckoutMode,
  placements: readonly Placement[],
  windowMs: number,
  samples: SamplesFactory,
): PathSummary {
  const accepted = placements.filter(isAccepted);
  const completed = accepted.filter((p) => p.completedMs !== undefined);
  const confirmed = completed.filter((p) => p.finalStatus === 'confirmed');
  // Counted from a fifth into the window: the first orders' travel time is not a shortfall.
  const from = windowMs * RAMP_SHARE;
  const inWindow = confirmed.filter((p) => {
    const at = p.completedMs ?? Number.POSITIVE_INFINITY;
    return at >= from && at <= windowMs;
  });
  const failed = placements.length - accepted.length;
  return {
    mode,
    sent: placements.length,
    accepted: accepted.length,
    errors: tally(placements.filter((p) => !isAccepted(p)).map((p) => p.error ?? 'unknown')),
    errorRate: placements.length === 0 ? 0 : Math.round((failed / placements.length) * 1e4) / 1e4,
    acceptLatency: latencies(accepted, (p) => p.answeredMs, samples),
    completionLatency: latencies(completed, (p) => p.completedMs, samples),
    confirmed: confirmed.length,
    rejected: tally(
      completed
        .filter((p) => p.finalStatus !== 'confirmed')
        .map((p) => p.finalReason || p.finalStatus || 'unknown'),
    ),
    unobserved: accepted.length - completed.length,
    confirmedPerSecond: Math.round((inWindow.length / (windowMs - from)) * 1000 * 10) / 10,
  };
}

/** From each order's due time to the moment `until` picks. */
function latencies(
  placements: readonly Placement[],
  until: (placement: Placement) => number | undefined,
  samples: SamplesFactory,
): LatencySummary {
  const chosen = samples();
  for (const p of placements) chosen.add((until(p) ?? Number.NaN) - p.intendedMs);
  return chosen.summary();
}

function tally(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** Per second and path: sent, failed (not accepted, or rejected), accept p99, completed. */
export function secondsOf(
  run: OpenLoopRun,
  samples: SamplesFactory = () => new SortedSamples(),
): Second[] {
  const seconds: Second[] = [];
  const last = Math.ceil(
    Math.max(...run.placements.map((p) => p.completedMs ?? p.answeredMs ?? 0), 0) / 1000,
  );
  for (const mode of new Set(run.placements.map((p) => p.mode))) {
    const ofMode = run.placements.filter((p) => p.mode === mode);
    for (let second = 0; second <= last; second++) {
      const due = ofMode.filter((p) => Math.floor(p.intendedMs / 1000) === second);
      const latencies = samples();
      for (const p of due) if (isAccepted(p)) latencies.add((p.answeredMs ?? 0) - p.intendedMs);
      seconds.push({
        second,
        mode,
        sent: due.length,
        failed: due.filter((p) => !isAccepted(p) || (p.finalStatus ?? 'confirmed') !== 'confirmed')
          .length,
        acceptP99: latencies.summary().p99,
        completed: ofMode.filter(
          (p) => p.completedMs !== undefined && Math.floor(p.completedMs / 1000) === second,
        ).length,
      });
    }
  }
  return seconds;
}
