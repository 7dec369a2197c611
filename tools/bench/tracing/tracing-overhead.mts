// Tracing overhead: full checkouts per second (closed loop: each worker places an order and,
// on the queued path, follows it to its terminal status before the next) with tracing off, with
// every trace exported over OTLP to a local sink, and with a sampled share of the traces. Each
// setup runs on freshly started services, in alternating order over the rounds (off, all,
// sampled, then sampled, all, off, …), so neither JIT warm-up nor drift favours one of them.
import { closedLoop } from '../matrix/closed-loop.mts';
import { planFor } from '../checkout/checkout-context.mts';
import { CHECKOUT_MODES, type CheckoutMode, type OpenLoopLoad } from '../load/open-loop.mts';
import { type LatencySummary, ratio, round, Samples } from '../report/stats.mts';
import { type TracingSettings } from '../run/settings.mts';

export const TRACING_SETUPS = ['off', 'all', 'sampled'] as const;
/** off: no SDK; all: every trace exported; sampled: parent-based trace-id ratio sampling. */
export type TracingSetup = (typeof TRACING_SETUPS)[number];
export type TracedSetup = Exclude<TracingSetup, 'off'>;

export interface CheckoutThroughput {
  readonly mode: CheckoutMode;
  /** Confirmed checkouts per second: the median of the rounds (one slow round does not move it). */
  readonly throughput: number;
  /** Each round's checkouts per second, in round order. */
  readonly perRound: number[];
  /** Every round's latencies, pooled. */
  readonly latency: LatencySummary;
  readonly errors: number;
}

export interface SetupThroughput {
  readonly setup: TracingSetup;
  readonly paths: CheckoutThroughput[];
  /** What the services exported to the sink under this setup, over all its rounds. */
  readonly exported: { readonly requests: number; readonly bytes: number };
}

export interface TracingOverhead {
  readonly concurrency: number;
  readonly rounds: number;
  /** The share of traces the `sampled` setup keeps (OTEL_TRACES_SAMPLER_ARG). */
  readonly sampleRatio: number;
  readonly setups: SetupThroughput[];
  /** Throughput of a traced setup ÷ off, per path (1 = free; 0.8 = 20 % fewer checkouts/s). */
  readonly ratios: Readonly<Record<TracedSetup, Readonly<Record<CheckoutMode, number>>>>;
}

/** What one setup measured in one round. */
export interface SetupRound {
  readonly setup: TracingSetup;
  readonly paths: readonly {
    readonly mode: CheckoutMode;
    readonly throughput: number;
    readonly samples: Samples;
    readonly errors: number;
  }[];
  readonly exported: { readonly requests: number; readonly bytes: number };
}

/** The setups of round `index` (0-based), in the order they run. */
export function setupOrder(index: number): TracingSetup[] {
  return index % 2 === 0 ? [...TRACING_SETUPS] : [...TRACING_SETUPS].reverse();
}

export async function checkoutThroughput(
  load: OpenLoopLoad,
  settings: TracingSettings,
): Promise<SetupRound['paths']> {
  const results = [];
  for (const mode of CHECKOUT_MODES) {
    const plan = planFor(mode, 1, 1);
    const result = await closedLoop(
      async () => {
        const placement = await load.complete(mode, plan);
        if (placement.finalStatus !== 'confirmed') {
          throw new Error(placement.error ?? `order ended ${String(placement.finalStatus)}`);
        }
      },
      { ...settings, timeoutMs: 30_000 },
    );
    results.push({
      mode,
      throughput: result.throughput,
      samples: result.samples,
      errors: result.errors,
    });
  }
  return results;
}

export function overhead(
  settings: TracingSettings,
  rounds: readonly SetupRound[],
): TracingOverhead {
  const setups = TRACING_SETUPS.map((setup) => pool(setup, rounds));
  const of = (setup: TracingSetup, mode: CheckoutMode): number =>
    setups.find((s) => s.setup === setup)?.paths.find((p) => p.mode === mode)?.throughput ??
    Number.NaN;
  const against = (setup: TracedSetup): Record<CheckoutMode, number> => ({
    blocking: ratio(of(setup, 'blocking'), of('off', 'blocking')),
    queued: ratio(of(setup, 'queued'), of('off', 'queued')),
  });
  return {
    concurrency: settings.concurrency,
    rounds: settings.rounds,
    sampleRatio: settings.sampleRatio,
    setups,
    ratios: { all: against('all'), sampled: against('sampled') },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

function pool(setup: TracingSetup, rounds: readonly SetupRound[]): SetupThroughput {
  const mine = rounds.filter((r) => r.setup === setup);
  const paths = CHECKOUT_MODES.map((mode): CheckoutThroughput => {
    const runs = mine.flatMap((r) => r.paths.filter((p) => p.mode === mode));
    const pooled = new Samples();
    for (const run of runs) pooled.addAll(run.samples);
    const perRound = runs.map((run) => run.throughput);
    return {
      mode,
      throughput: round(median(perRound), 1),
      perRound,
      latency: pooled.summary(),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
    };
  });
  return {
    setup,
    paths,
    exported: {
      requests: mine.reduce((sum, r) => sum + r.exported.requests, 0),
      bytes: mine.reduce((sum, r) => sum + r.exported.bytes, 0),
    },
  };
}
