// Saturation: the highest offered rate (open loop) a checkout path sustains in a steady state,
// found by bisection on the offered rate. A trial is steady when, over its arrival window, the
// path confirms what is offered (≥ 90 %, counted over the window after its first fifth), rejects
// almost nothing (≤ 1 % not accepted), its latency does not grow (the median completion latency
// of the last third of the orders within 1.5× of the first third's, plus 10 ms), and its backlog —
// orders' outbox *and* the saga's queues — does not grow (the least-squares slope over the second
// half of the trial at most 2 % of the offered rate per second). After a coarse search per path
// (growing the rate until a trial is not steady, then bisecting), the search is repeated in
// randomised ABBA rounds of both paths, each a short bisection around the coarse bracket, and the
// queued ÷ blocking ratio of the sustained rates gets its bootstrap interval.
import { type CheckoutContext, planFor } from './checkout-context.mts';
import { awaitSettled } from './drain.mts';
import { type PathSummary, summarize } from '../load/load-summary.mts';
import { CHECKOUT_MODES, type CheckoutMode, type Placement } from '../load/open-loop.mts';
import { type LedgerCount } from './order-ledger.mts';
import { type DepthSample, peakDepth, totalDepth } from './queue-depth.mts';
import { type CpuCost, measureCpu } from '../run/cpu-cost.mts';
import { bootstrapInterval, type Interval, roundOrder, roundRatio } from '../report/intervals.mts';
import { hdrSamples, median } from '../report/stats.mts';
import { type SaturationSettings } from '../run/settings.mts';

const CONFIRMED_SHARE = 0.9;
const ERROR_RATE = 0.01;
const LATENCY_GROWTH = 1.5;
const LATENCY_SLACK_MS = 10;
const BACKLOG_SLOPE_SHARE = 0.02;
const BACKLOG_SLOPE_FLOOR = 2;
/** A search whose every trial failed steps down by this factor, at most this many times. */
const DOWN_FACTOR = 0.85;
const DOWN_STEPS = 4;

export interface Trial {
  readonly offeredPerSecond: number;
  readonly path: PathSummary;
  readonly maxSendLagMs: number;
  /** Outbox + saga queues over the trial: peak, and its growth per second over the second half. */
  readonly backlog: { readonly peak: number; readonly slopePerSecond: number };
  /** Median completion latency (ms) of the first and the last third of the orders, by due time. */
  readonly completionP50: { readonly first: number; readonly last: number };
  /** After the last arrival: until every accepted order was terminal and the backlog empty. */
  readonly settleMs: number;
  readonly ledger: LedgerCount;
  readonly cpu: CpuCost;
  readonly steady: boolean;
  /** Why it was not steady (empty when it was). */
  readonly why: string[];
}

export interface Bisection {
  readonly mode: CheckoutMode;
  readonly trials: Trial[];
  /** The highest offered rate of a steady trial (0: none). */
  readonly sustainedPerSecond: number;
  /** The lowest offered rate of a trial that was not steady (Infinity: none). */
  readonly failedPerSecond: number;
}

export interface Saturation {
  /** The first search per path: grow until not steady, then bisect. */
  readonly coarse: Bisection[];
  /** The repeated searches, round by round, in the order they ran. */
  readonly rounds: Bisection[][];
  /** Per path: the sustained rate of each repeated search, and their median. */
  readonly sustained: readonly {
    readonly mode: CheckoutMode;
    readonly perSearch: number[];
    readonly median: number;
  }[];
  /** Queued sustained ÷ blocking sustained, per round, with its bootstrap 95 % interval. */
  readonly queuedOverBlocking: Interval;
}

export async function findSaturation(
  context: CheckoutContext,
  settings: SaturationSettings,
  random: () => number,
): Promise<Saturation> {
  const coarse: Bisection[] = [];
  for (const mode of CHECKOUT_MODES) {
    context.phase(`saturation ${mode}: coarse search`);
    coarse.push(await coarseSearch(context, mode, settings));
  }
  const rounds: Bisection[][] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    const searches: Bisection[] = [];
    for (const mode of roundOrder(CHECKOUT_MODES, random)) {
      context.phase(`saturation round ${String(round + 1)}: ${mode}`);
      const first = coarse.find((c) => c.mode === mode);
      const low = (first?.sustainedPerSecond ?? settings.startRate) * settings.bracket[0];
      const high =
        Math.min(first?.failedPerSecond ?? settings.maxRate, settings.maxRate) *
        settings.bracket[1];
      searches.push(await bisect(context, mode, low, high, settings.roundSteps, settings, []));
    }
    rounds.push(searches);
  }
  const of = (searches: readonly Bisection[], mode: CheckoutMode): number[] =>
    searches.filter((s) => s.mode === mode).map((s) => s.sustainedPerSecond);
  return {
    coarse,
    rounds,
    sustained: CHECKOUT_MODES.map((mode) => {
      const perSearch = rounds.flatMap((searches) => of(searches, mode));
      return { mode, perSearch, median: median(perSearch) };
    }),
    queuedOverBlocking: bootstrapInterval(
      rounds.map((searches) => roundRatio(of(searches, 'queued'), of(searches, 'blocking'))),
    ),
  };
}

/** Grows the rate until a trial is not steady, then bisects between the last two. */
async function coarseSearch(
  context: CheckoutContext,
  mode: CheckoutMode,
  settings: SaturationSettings,
): Promise<Bisection> {
  const trials: Trial[] = [];
  let rate = settings.startRate;
  let low = 0;
  for (;;) {
    const trial = await runTrial(context, mode, rate, settings);
    trials.push(trial);
    if (!trial.steady) break;
    low = rate;
    if (rate >= settings.maxRate) return outcome(mode, trials);
    rate = Math.min(settings.maxRate, Math.round(rate * settings.growth));
  }
  return bisect(context, mode, low, rate, settings.coarseSteps, settings, trials);
}

/** `steps` trials halving [low, high]: low is taken as steady, high as not. */
async function bisect(
  context: CheckoutContext,
  mode: CheckoutMode,
  low: number,
  high: number,
  steps: number,
  settings: SaturationSettings,
  trials: Trial[],
): Promise<Bisection> {
  let [lo, hi] = [low, high];
  for (let step = 0; step < steps; step += 1) {
    const rate = Math.round((lo + hi) / 2);
    if (rate <= lo || rate >= hi) break;
    const trial = await runTrial(context, mode, rate, settings);
    trials.push(trial);
    if (trial.steady) lo = rate;
    else hi = rate;
  }
  // The low end was only assumed steady: if no trial was, step down until one is.
  for (let step = 0; step < DOWN_STEPS && !trials.some((t) => t.steady); step += 1) {
    const rate = Math.round(Math.min(...trials.map((t) => t.offeredPerSecond)) * DOWN_FACTOR);
    if (rate < 1) break;
    trials.push(await runTrial(context, mode, rate, settings));
  }
  return outcome(mode, trials);
}

function outcome(mode: CheckoutMode, trials: Trial[]): Bisection {
  const steady = trials.filter((t) => t.steady).map((t) => t.offeredPerSecond);
  const failed = trials.filter((t) => !t.steady).map((t) => t.offeredPerSecond);
  return {
    mode,
    trials,
    sustainedPerSecond: Math.max(0, ...steady.filter((rate) => rate < Math.min(...failed))),
    failedPerSecond: Math.min(Number.POSITIVE_INFINITY, ...failed),
  };
}

async function runTrial(
  context: CheckoutContext,
  mode: CheckoutMode,
  rate: number,
  settings: SaturationSettings,
): Promise<Trial> {
  const zero = Date.now();
  context.sampler.start(zero, settings.sampleEveryMs);
  const { value, cost } = await measureCpu(context, async () => {
    const run = await context.load.run(planFor(mode, rate, settings.trialMs));
    const ids = run.placements.flatMap((p) => (p.orderId === undefined ? [] : [p.orderId]));
    const settled = await awaitSettled(
      context.ledger,
      context.sampler,
      ids,
      settings.drainTimeoutMs,
    );
    return { run, settled };
  });
  const depths = await context.sampler.finish();
  const { run, settled } = value;
  const path = summarize(run, hdrSamples).paths[0];
  if (!path) throw new Error('the run placed no orders');
  const backlog = {
    peak: peakDepth(depths.filter((d) => d.t <= run.arrivalsMs)),
    slopePerSecond: slopePerSecond(depths, run.arrivalsMs / 2, run.arrivalsMs),
  };
  const completionP50 = thirds(run.placements, run.arrivalsMs);
  const why = unsteadiness(path, rate, backlog.slopePerSecond, completionP50);
  const trial: Trial = {
    offeredPerSecond: rate,
    path,
    maxSendLagMs: run.maxSendLagMs,
    backlog,
    completionP50,
    settleMs: settled.ms,
    ledger: settled.ledger,
    cpu: cost(path.confirmed),
    steady: why.length === 0,
    why,
  };
  context.log(
    `${mode.padEnd(8)} ${String(rate).padStart(4)}/s: confirmed ${String(path.confirmedPerSecond)}/s, ` +
      `completion p50 ${String(completionP50.first)} → ${String(completionP50.last)} ms, ` +
      `backlog ${String(backlog.slopePerSecond)}/s (peak ${String(backlog.peak)}), ` +
      `${String(trial.cpu.countedMsPerCheckout)} CPU-ms/checkout` +
      (trial.steady ? '' : `  ← not steady: ${why.join('; ')}`),
  );
  return trial;
}

export function unsteadiness(
  path: PathSummary,
  offered: number,
  backlogSlope: number,
  completionP50: Trial['completionP50'],
): string[] {
  const why: string[] = [];
  if (path.confirmedPerSecond < CONFIRMED_SHARE * offered)
    why.push(`confirmed ${String(path.confirmedPerSecond)}/s of ${String(offered)}/s`);
  if (path.errorRate > ERROR_RATE) why.push(`${(path.errorRate * 100).toFixed(1)} % not accepted`);
  if (!(completionP50.last <= LATENCY_GROWTH * completionP50.first + LATENCY_SLACK_MS))
    why.push(`latency grew ${String(completionP50.first)} → ${String(completionP50.last)} ms`);
  if (!(backlogSlope <= Math.max(BACKLOG_SLOPE_FLOOR, BACKLOG_SLOPE_SHARE * offered)))
    why.push(`backlog grew ${String(backlogSlope)}/s`);
  return why;
}

/** The median completion latency of the first and last third of the orders, by due time. */
function thirds(placements: readonly Placement[], windowMs: number): Trial['completionP50'] {
  const latencyOf = (from: number, to: number): number =>
    Math.round(
      median(
        placements
          .filter((p) => p.intendedMs >= from && p.intendedMs < to)
          .map((p) =>
            p.completedMs === undefined ? Number.POSITIVE_INFINITY : p.completedMs - p.intendedMs,
          ),
      ) * 10,
    ) / 10;
  return { first: latencyOf(0, windowMs / 3), last: latencyOf((2 * windowMs) / 3, windowMs) };
}

/** Least-squares slope of the total backlog (entries per second) between two times (ms). */
export function slopePerSecond(depths: readonly DepthSample[], from: number, to: number): number {
  const points = depths
    .filter((d) => d.t >= from && d.t <= to)
    .map((d) => [d.t / 1000, totalDepth(d)] as const)
    .filter(([, y]) => Number.isFinite(y));
  if (points.length < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : Math.round((sxy / sxx) * 10) / 10;
}
