// The ratio targets the report judges on every run (issue #14). Every target compares two
// measurements of the same run, taken in randomised ABBA rounds; its verdict comes from the
// bootstrap 95 % interval of the ratio over the rounds (intervals.mts): pass when the whole
// interval clears the limit, fail when it misses it, inconclusive when it straddles it. None of
// them is ever asserted by a test.
import { type CheckoutMode } from '../load/open-loop.mts';
import { type BenchResults } from './results.mts';
import { type Direction, type Interval, judge, type Outcome } from './intervals.mts';
import { median } from './stats.mts';
import { type TracedSetup } from '../tracing/fixed-rate-cost.mts';
import { TRANSPORTS, type Transport } from '../matrix/transports.mts';

/** Queued sustained confirmed/s at least this × blocking's. */
export const QUEUED_THROUGHPUT_LIMIT = 0.8;
/** CPU-ms per queued checkout at most this × blocking's, at the same offered rate. */
export const QUEUED_CPU_LIMIT = 1.25;
/** The busier of two relays publishes at most this share of the outbox's entries. */
export const RELAY_SHARE_LIMIT = 0.6;
/** CPU-ms per checkout with tracing on at most this × off: every trace, and sampled. */
export const TRACING_CPU_LIMIT: Readonly<Record<TracedSetup, number>> = { all: 1.25, sampled: 1.1 };
/** Junction's p50 at 64 B, serial, at most this × its raw floor's. */
export const FLOOR_P50_LIMIT: Readonly<Record<Transport, number>> = {
  rest: 1.3,
  grpc: 1.2,
  amqp: 1.2,
};
/** Queued accept p99 in the +300 ms payment fault's window at most this × the control's. */
export const FAULT_ACCEPT_P99_LIMIT = 1.2;

export interface TargetVerdict {
  readonly target: string;
  /** What the ratio is made of, e.g. "0.51 ms ÷ 0.32 ms (medians)". */
  readonly basis: string;
  readonly interval: Interval;
  readonly limit: number;
  readonly direction: Direction;
  readonly outcome: Outcome;
  /** How far the estimate is past the limit, as a share of it (0.05 = 5 %); 0 when inside. */
  readonly missedBy: number;
}

/** Everything a run measured: what the targets are judged on. */
export type Measured = Omit<BenchResults, 'targets'>;

export function judgeTargets(results: Measured): TargetVerdict[] {
  return [
    queuedThroughputTarget(results),
    queuedCpuTarget(results),
    relayTarget(results),
    ...(['all', 'sampled'] as const).flatMap((setup) =>
      (['blocking', 'queued'] as const).map((mode) => tracingTarget(results, setup, mode)),
    ),
    ...TRANSPORTS.map((transport) => floorTarget(results, transport)),
    faultTarget(results),
  ];
}

export function verdict(
  target: string,
  basis: string,
  interval: Interval,
  limit: number,
  direction: Direction,
  vetoed?: string,
): TargetVerdict {
  const outcome = vetoed === undefined ? judge(interval, limit, direction) : 'fail';
  const past =
    direction === 'at most' ? interval.estimate / limit - 1 : 1 - interval.estimate / limit;
  const missedBy = Number.isFinite(past) && past > 0 ? Math.round(past * 100) / 100 : 0;
  return {
    target,
    basis: vetoed === undefined ? basis : `${basis}; ${vetoed}`,
    interval,
    limit,
    direction,
    outcome,
    missedBy,
  };
}

function queuedThroughputTarget(results: Measured): TargetVerdict {
  const median = (mode: CheckoutMode): number =>
    results.checkout.saturation.sustained.find((s) => s.mode === mode)?.median ?? Number.NaN;
  return verdict(
    'queued sustained confirmed/s ÷ blocking sustained confirmed/s',
    `${String(median('queued'))} ÷ ${String(median('blocking'))} orders/s (medians of the searches)`,
    results.checkout.saturation.queuedOverBlocking,
    QUEUED_THROUGHPUT_LIMIT,
    'at least',
  );
}

function cpuOf(results: Measured, setup: string, mode: CheckoutMode): number {
  return (
    results.fixedRate.setups.find((s) => s.setup === setup && s.mode === mode)
      ?.countedMsPerCheckout ?? Number.NaN
  );
}

function queuedCpuTarget(results: Measured): TargetVerdict {
  return verdict(
    `CPU-ms per queued checkout ÷ per blocking checkout, at ${String(results.fixedRate.ratePerSecond)}/s`,
    `${String(cpuOf(results, 'off', 'queued'))} ÷ ${String(cpuOf(results, 'off', 'blocking'))} CPU-ms (medians, tracing off)`,
    results.fixedRate.queuedOverBlocking,
    QUEUED_CPU_LIMIT,
    'at most',
  );
}

function relayTarget(results: Measured): TargetVerdict {
  const r = results.relays;
  const shares = r.relays.map((relay) => `${String(Math.round(relay.share * 100))} %`).join(' + ');
  return verdict(
    'share of the outbox published by the busier of two relays',
    `${shares} of ${String(r.published)} events, ${String(r.duplicates)} published twice`,
    r.busierShare,
    RELAY_SHARE_LIMIT,
    'at most',
    r.duplicates > 0
      ? `${String(r.duplicates)} events published twice`
      : r.relays.length < 2
        ? 'only one relay published'
        : undefined,
  );
}

function tracingTarget(results: Measured, setup: TracedSetup, mode: CheckoutMode): TargetVerdict {
  const which =
    setup === 'all'
      ? 'every trace exported'
      : `${String(Math.round(results.fixedRate.sampleRatio * 100))} % of traces sampled`;
  return verdict(
    `CPU-ms per ${mode} checkout, tracing on (${which}) ÷ off`,
    `${String(cpuOf(results, setup, mode))} ÷ ${String(cpuOf(results, 'off', mode))} CPU-ms (medians)`,
    results.fixedRate.tracing[setup][mode],
    TRACING_CPU_LIMIT[setup],
    'at most',
  );
}

function floorTarget(results: Measured, transport: Transport): TargetVerdict {
  const find = (implementation: string): number =>
    results.matrix.cells.find(
      (c) =>
        c.transport === transport &&
        c.paddingBytes === 64 &&
        c.concurrency === 1 &&
        c.implementation === implementation,
    )?.latency.p50 ?? Number.NaN;
  const cell = results.matrix.ratios.find(
    (r) => r.transport === transport && r.paddingBytes === 64 && r.concurrency === 1,
  );
  return verdict(
    `${transport.toUpperCase()} p50, 64 B serial, Junction ÷ raw floor`,
    `${String(find('junction'))} ms ÷ ${String(find('floor'))} ms (pooled)`,
    cell?.p50Interval ?? { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, rounds: [] },
    FLOOR_P50_LIMIT[transport],
    'at most',
  );
}

function faultTarget(results: Measured): TargetVerdict {
  const p99s = (kind: string): number[] =>
    results.checkout.faults
      .filter((r) => r.kind === kind && r.mode === 'queued')
      .map((r) => r.windowAcceptLatency.p99);
  // A median of an even count is a mean of two: rounded, so the basis reads 22 ms, not 21.999…
  const ms = (kind: string): string => String(Math.round(median(p99s(kind)) * 1000) / 1000);
  return verdict(
    `queued accept p99 in the fault window, +${String(results.settings.faults.latencyMs)} ms on payment ÷ no fault`,
    `${ms('latency')} ms ÷ ${ms('none')} ms (medians of the rounds' runs)`,
    results.checkout.faultWindowP99,
    FAULT_ACCEPT_P99_LIMIT,
    'at most',
  );
}
