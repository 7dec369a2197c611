// The saturation sweep: one checkout path at increasing offered rates (open loop) until it
// cannot keep up — fewer than 90 % of the offered orders confirmed inside the window, more than
// 1 % not accepted, or the p99 accept latency above 2 s. Each step waits for the path to settle.
import { type CheckoutContext, planFor } from './checkout-context.mts';
import { awaitSettled } from './drain.mts';
import { type PathSummary, summarize } from '../load/load-summary.mts';
import { type CheckoutMode } from '../load/open-loop.mts';
import { type LedgerCount } from './order-ledger.mts';
import { peakDepth } from './queue-depth.mts';
import { type CheckoutSettings } from '../run/settings.mts';

export interface SweepStep {
  readonly offeredPerSecond: number;
  readonly path: PathSummary;
  readonly maxSendLagMs: number;
  /** Highest ready count across the saga's queues during the step. */
  readonly peakBacklog: number;
  /** After the last arrival: until every accepted order was terminal and the queues empty. */
  readonly settleMs: number;
  readonly ledger: LedgerCount;
  readonly saturated: boolean;
}

export interface Sweep {
  readonly mode: CheckoutMode;
  readonly steps: SweepStep[];
  /** The highest offered rate the path kept up with (0: none). */
  readonly kneePerSecond: number;
}

export function isSaturated(path: PathSummary, offered: number): boolean {
  return (
    path.confirmedPerSecond < 0.9 * offered ||
    path.errorRate > 0.01 ||
    path.acceptLatency.p99 > 2_000
  );
}

export async function sweep(
  context: CheckoutContext,
  mode: CheckoutMode,
  settings: CheckoutSettings,
): Promise<Sweep> {
  const steps: SweepStep[] = [];
  for (const rate of settings.rates) {
    const zero = Date.now();
    context.sampler.start(zero, 250);
    const run = await context.load.run(planFor(mode, rate, settings.stepMs));
    const ids = run.placements.flatMap((p) => (p.orderId === undefined ? [] : [p.orderId]));
    const settled = await awaitSettled(
      context.ledger,
      context.sampler,
      ids,
      settings.drainTimeoutMs,
    );
    const depths = await context.sampler.finish();
    const path = summarize(run).paths[0];
    if (!path) throw new Error('the run placed no orders');
    const step: SweepStep = {
      offeredPerSecond: rate,
      path,
      maxSendLagMs: run.maxSendLagMs,
      peakBacklog: peakDepth(depths),
      settleMs: settled.ms,
      ledger: settled.ledger,
      saturated: isSaturated(path, rate),
    };
    steps.push(step);
    context.log(
      `${mode.padEnd(8)} ${String(rate).padStart(4)}/s: confirmed ${String(path.confirmedPerSecond)}/s, ` +
        `accept p50 ${String(path.acceptLatency.p50)} p99 ${String(path.acceptLatency.p99)} ms, ` +
        `completion p99 ${String(path.completionLatency.p99)} ms, errors ${(path.errorRate * 100).toFixed(1)} %` +
        (step.saturated ? '  ← saturated' : ''),
    );
    if (step.saturated) break;
  }
  const kept = steps.filter((step) => !step.saturated);
  return { mode, steps, kneePerSecond: Math.max(0, ...kept.map((step) => step.offeredPerSecond)) };
}
