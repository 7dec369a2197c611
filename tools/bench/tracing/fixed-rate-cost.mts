// What a checkout costs at a fixed offered rate (open loop, half the lower of the two paths'
// sustained rates): CPU-ms per confirmed checkout of every process, for each path, with tracing
// off, on for every trace (OTLP to a local sink) and sampled. Each slot runs on freshly started
// services; a round runs the setups in a random order and then in reverse (ABCCBA, so every
// pair of setups is counterbalanced), and each setup's two slots run the paths in opposite
// orders (ABBA for the paths). From it: queued ÷ blocking CPU with tracing off, and each traced
// setup ÷ off per path, each with its bootstrap interval over the rounds. The sink's own CPU is
// reported per checkout but not counted.
import { planFor } from '../checkout/checkout-context.mts';
import { type CheckoutRig } from '../checkout/checkout-rig.mts';
import { awaitHealthy, awaitSettled } from '../checkout/drain.mts';
import { type PathSummary, summarize } from '../load/load-summary.mts';
import { CHECKOUT_MODES, type CheckoutMode } from '../load/open-loop.mts';
import {
  bootstrapInterval,
  type Interval,
  roundOrder,
  roundRatio,
  shuffled,
} from '../report/intervals.mts';
import { hdrSamples, median, settled } from '../report/stats.mts';
import { type CpuCost, measureCpu } from '../run/cpu-cost.mts';
import { type FixedRateSettings } from '../run/settings.mts';

export const TRACING_SETUPS = ['off', 'all', 'sampled'] as const;
/** off: no SDK; all: every trace exported; sampled: parent-based trace-id ratio sampling. */
export type TracingSetup = (typeof TRACING_SETUPS)[number];
export type TracedSetup = Exclude<TracingSetup, 'off'>;

export interface CostSlot {
  readonly round: number;
  readonly setup: TracingSetup;
  readonly mode: CheckoutMode;
  readonly path: PathSummary;
  readonly cpu: CpuCost;
  /** How long the path ran at the rate before its rolling p50 settled (not counted). */
  readonly warmupMs: number;
  readonly warmedUp: boolean;
}

export interface SetupCost {
  readonly setup: TracingSetup;
  readonly mode: CheckoutMode;
  /** Medians over the setup's slots. */
  readonly countedMsPerCheckout: number;
  readonly perCheckout: Readonly<Record<string, number>>;
  readonly eventLoop: Readonly<Record<string, number>>;
  readonly acceptP50: number;
  readonly completionP50: number;
  /** OTLP bytes the services exported per measured checkout (both paths of the setup's slots). */
  readonly exportedBytesPerCheckout: number;
}

export interface FixedRateCost {
  readonly ratePerSecond: number;
  readonly sampleRatio: number;
  readonly slots: CostSlot[];
  /** Each round's slots as they ran: `setup mode`. */
  readonly order: string[][];
  readonly setups: SetupCost[];
  /** Tracing off: CPU-ms per queued checkout ÷ per blocking checkout. */
  readonly queuedOverBlocking: Interval;
  /** CPU-ms per checkout of each traced setup ÷ off, per path. */
  readonly tracing: Readonly<Record<TracedSetup, Readonly<Record<CheckoutMode, Interval>>>>;
}

/** Starts the services for a setup (after the running ones stopped), and stops them. */
export interface Services {
  start(setup: TracingSetup): Promise<void>;
  /** Gracefully: each service exports its last spans before it exits. */
  stop(): Promise<void>;
}
/** The sink's counters: OTLP export requests and bytes received so far. */
export type Exported = () => Promise<{ readonly requests: number; readonly bytes: number }>;

export async function fixedRateCost(
  rig: CheckoutRig,
  rate: number,
  settings: FixedRateSettings,
  sampleRatio: number,
  random: () => number,
  services: Services,
  exported: Exported,
): Promise<FixedRateCost> {
  const slots: CostSlot[] = [];
  /** Bytes the services exported per setup slot (both paths), and the checkouts they made. */
  const exports: { setup: TracingSetup; bytes: number; checkouts: number }[] = [];
  const order: string[][] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    const setups = roundOrder(TRACING_SETUPS, random);
    const firstPaths = new Map(TRACING_SETUPS.map((s) => [s, shuffled(CHECKOUT_MODES, random)]));
    const seen = new Set<TracingSetup>();
    const ran: string[] = [];
    for (const setup of setups) {
      const paths = firstPaths.get(setup) ?? [...CHECKOUT_MODES];
      const modes = seen.has(setup) ? [...paths].reverse() : paths;
      seen.add(setup);
      await services.start(setup);
      await awaitHealthy(rig, settings.drainTimeoutMs);
      const before = await exported();
      let checkouts = 0;
      for (const mode of modes) {
        rig.phase(`fixed rate ${String(round + 1)}: tracing ${setup}, ${mode}`);
        const slot = await measureSlot(rig, round, setup, mode, rate, settings);
        slots.push(slot);
        checkouts += slot.cpu.checkouts;
        ran.push(`${setup} ${mode}`);
        rig.log(
          `fixed rate ${String(rate)}/s round ${String(round + 1)}: tracing ${setup.padEnd(7)} ${mode.padEnd(8)} ` +
            `${String(slot.cpu.countedMsPerCheckout)} CPU-ms/checkout (load generator ${String(slot.cpu.perCheckout['load generator'])})`,
        );
      }
      await services.stop(); // the warm-ups' spans are in it too: a little more than the slots'
      exports.push({ setup, bytes: (await exported()).bytes - before.bytes, checkouts });
    }
    order.push(ran);
  }
  const cost = (setup: TracingSetup, mode: CheckoutMode, round: number): number[] =>
    slots
      .filter((s) => s.setup === setup && s.mode === mode && s.round === round)
      .map((s) => s.cpu.countedMsPerCheckout);
  const rounds = Array.from({ length: settings.rounds }, (_, i) => i);
  const against = (setup: TracedSetup, mode: CheckoutMode): Interval =>
    bootstrapInterval(rounds.map((r) => roundRatio(cost(setup, mode, r), cost('off', mode, r))));
  return {
    ratePerSecond: rate,
    sampleRatio,
    slots,
    order,
    setups: TRACING_SETUPS.flatMap((setup) =>
      CHECKOUT_MODES.map((mode) =>
        summarizeSetup(
          setup,
          mode,
          slots.filter((s) => s.setup === setup && s.mode === mode),
          exports.filter((e) => e.setup === setup),
        ),
      ),
    ),
    queuedOverBlocking: bootstrapInterval(
      rounds.map((r) => roundRatio(cost('off', 'queued', r), cost('off', 'blocking', r))),
    ),
    tracing: {
      all: { blocking: against('all', 'blocking'), queued: against('all', 'queued') },
      sampled: { blocking: against('sampled', 'blocking'), queued: against('sampled', 'queued') },
    },
  };
}

async function measureSlot(
  rig: CheckoutRig,
  round: number,
  setup: TracingSetup,
  mode: CheckoutMode,
  rate: number,
  settings: FixedRateSettings,
): Promise<CostSlot> {
  const warm = await warmUp(rig, mode, rate, settings);
  const { value, cost } = await measureCpu(rig, async () => {
    const run = await rig.load.run(planFor(mode, rate, settings.measureMs));
    const ids = run.placements.flatMap((p) => (p.orderId === undefined ? [] : [p.orderId]));
    await awaitSettled(rig.ledger, rig.sampler, ids, settings.drainTimeoutMs);
    return run;
  });
  const path = summarize(value, hdrSamples).paths[0];
  if (!path) throw new Error('the run placed no orders');
  return { round, setup, mode, path, cpu: cost(path.confirmed), ...warm };
}

/** Runs the path at the rate in short stretches until the accept p50s of the last few agree. */
export async function warmUp(
  rig: CheckoutRig,
  mode: CheckoutMode,
  rate: number,
  settings: FixedRateSettings,
): Promise<{ warmupMs: number; warmedUp: boolean }> {
  const started = Date.now();
  const p50s: number[] = [];
  for (;;) {
    const run = await rig.load.run(planFor(mode, rate, settings.warmupChunkMs));
    p50s.push(summarize(run, hdrSamples).paths[0]?.acceptLatency.p50 ?? Number.NaN);
    const stable = settled(p50s, settings.stableChunks, settings.stableSpread, 0.5);
    const warmupMs = Date.now() - started;
    if (stable || warmupMs >= settings.maxWarmupMs) return { warmupMs, warmedUp: stable };
  }
}

function summarizeSetup(
  setup: TracingSetup,
  mode: CheckoutMode,
  slots: readonly CostSlot[],
  exports: readonly { readonly bytes: number; readonly checkouts: number }[],
): SetupCost {
  const names = [...new Set(slots.flatMap((s) => Object.keys(s.cpu.perCheckout)))];
  const loops = [...new Set(slots.flatMap((s) => Object.keys(s.cpu.eventLoop)))];
  const med = (values: number[]): number => Math.round(median(values) * 1000) / 1000;
  const checkouts = exports.reduce((total, e) => total + e.checkouts, 0);
  return {
    setup,
    mode,
    countedMsPerCheckout: med(slots.map((s) => s.cpu.countedMsPerCheckout)),
    perCheckout: Object.fromEntries(
      names.map((name) => [name, med(slots.map((s) => s.cpu.perCheckout[name] ?? Number.NaN))]),
    ),
    eventLoop: Object.fromEntries(
      loops.map((name) => [name, med(slots.map((s) => s.cpu.eventLoop[name] ?? Number.NaN))]),
    ),
    acceptP50: med(slots.map((s) => s.path.acceptLatency.p50)),
    completionP50: med(slots.map((s) => s.path.completionLatency.p50)),
    exportedBytesPerCheckout:
      checkouts > 0
        ? Math.round(exports.reduce((total, e) => total + e.bytes, 0) / checkouts)
        : Number.NaN,
  };
}
