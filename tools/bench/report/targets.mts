// The ratio targets the report states pass or fail for (issue #6). Every target compares two
// measurements of the same run; none of them is ever asserted by a test.
import { type FaultKind, type FaultRun } from '../checkout/fault-scenarios.mts';
import { type CellRatio } from '../matrix/matrix.mts';
import { type CheckoutMode } from '../load/open-loop.mts';
import { type BenchResults } from './results.mts';
import { ratio } from './stats.mts';
import { type TracedSetup } from '../tracing/tracing-overhead.mts';
import { TRANSPORTS } from '../matrix/transports.mts';

/** Junction's p50 at 64 B, serial, at most this × its raw floor's. */
export const FLOOR_P50_LIMIT = 1.5;
/** Checkouts/s with tracing on at least this × with tracing off. */
export const TRACING_THROUGHPUT_LIMIT = 0.85;
/** Queued accept p99 under +300 ms on payment at most this × with no fault. */
export const FAULT_ACCEPT_P99_LIMIT = 1.2;

export interface TargetVerdict {
  readonly target: string;
  /** What the ratio is made of, e.g. "0.51 ms ÷ 0.32 ms". */
  readonly basis: string;
  readonly measured: number;
  readonly limit: number;
  readonly direction: 'at most' | 'at least';
  /** A missing measurement (NaN) fails. */
  readonly passed: boolean;
  /** How far past the limit, as a share of it (0.05 = 5 % over, or under); 0 when passed. */
  readonly missedBy: number;
}

/** Everything a run measured: what the targets are judged on. */
export type Measured = Omit<BenchResults, 'targets'>;

export function judgeTargets(results: Measured): TargetVerdict[] {
  return [
    ...TRANSPORTS.map((transport) => floorTarget(results, transport)),
    ...(['all', 'sampled'] as const).flatMap((setup) =>
      (['blocking', 'queued'] as const).map((mode) => tracingTarget(results, setup, mode)),
    ),
    faultTarget(results),
  ];
}

export function verdict(
  target: string,
  basis: string,
  measured: number,
  limit: number,
  direction: TargetVerdict['direction'],
): TargetVerdict {
  const passed = direction === 'at most' ? measured <= limit : measured >= limit;
  const missedBy = passed || !Number.isFinite(measured) ? 0 : Math.abs(measured / limit - 1);
  return { target, basis, measured, limit, direction, passed, missedBy: round2(missedBy) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function floorTarget(results: Measured, transport: CellRatio['transport']): TargetVerdict {
  const cells = results.matrix.cells.filter(
    (c) => c.transport === transport && c.paddingBytes === 64 && c.concurrency === 1,
  );
  const p50 = (implementation: string): number =>
    cells.find((c) => c.implementation === implementation)?.latency.p50 ?? Number.NaN;
  return verdict(
    `${transport.toUpperCase()} p50, 64 B serial, Junction ÷ raw floor`,
    `${String(p50('junction'))} ms ÷ ${String(p50('floor'))} ms`,
    ratio(p50('junction'), p50('floor')),
    FLOOR_P50_LIMIT,
    'at most',
  );
}

function tracingTarget(results: Measured, setup: TracedSetup, mode: CheckoutMode): TargetVerdict {
  const t = results.tracing;
  const throughput = (name: string): number =>
    t.setups.find((s) => s.setup === name)?.paths.find((p) => p.mode === mode)?.throughput ??
    Number.NaN;
  const which =
    setup === 'all'
      ? 'every trace exported'
      : `${String(Math.round(t.sampleRatio * 100))} % of traces sampled`;
  return verdict(
    `${mode} checkouts/s, tracing on (${which}) ÷ off`,
    `${String(throughput(setup))} ÷ ${String(throughput('off'))} checkouts/s`,
    t.ratios[setup][mode],
    TRACING_THROUGHPUT_LIMIT,
    'at least',
  );
}

function faultTarget(results: Measured): TargetVerdict {
  const p99 = (kind: FaultKind): number =>
    results.checkout.faults.find((r: FaultRun) => r.kind === kind && r.mode === 'queued')?.path
      .acceptLatency.p99 ?? Number.NaN;
  return verdict(
    `queued accept p99, +${String(results.settings.faults.latencyMs)} ms on payment ÷ no fault`,
    `${String(p99('latency'))} ms ÷ ${String(p99('none'))} ms`,
    ratio(p99('latency'), p99('none')),
    FAULT_ACCEPT_P99_LIMIT,
    'at most',
  );
}
