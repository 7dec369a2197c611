// How long and how hard each part of the bench runs: the full run (~40 min) and --quick (a few
// minutes, for CI: every part and column gets numbers, none of them meaningful — one round, so
// every target's verdict is inconclusive).
import { type MatrixSettings } from '../matrix/matrix.mts';

export interface SaturationSettings {
  /** The coarse search's first offered rate, orders/s, and the factor it grows by. */
  readonly startRate: number;
  readonly growth: number;
  readonly maxRate: number;
  /** Bisection steps after the coarse search found a rate that is not steady. */
  readonly coarseSteps: number;
  /** Repeated searches: rounds (each ABBA or BAAB over the two paths) and bisection steps. */
  readonly rounds: number;
  readonly roundSteps: number;
  /** A round's search brackets [sustained × bracket[0], not steady × bracket[1]] of the coarse one. */
  readonly bracket: readonly [number, number];
  /** Arrivals of one trial. */
  readonly trialMs: number;
  readonly sampleEveryMs: number;
  readonly drainTimeoutMs: number;
  readonly users: number;
}

export interface FaultSettings {
  /** Arrivals of one fault run, and when in it the fault starts and ends. */
  readonly durationMs: number;
  readonly faultFromMs: number;
  readonly faultUntilMs: number;
  /** The fault runs are offered this share of the lower sustained rate, within the bounds. */
  readonly shareOfSustained: number;
  readonly minRate: number;
  readonly maxRate: number;
  readonly latencyMs: number;
  /** ABBA rounds of the queued path's control and +latency runs (the accept p99 target). */
  readonly rounds: number;
  readonly drainTimeoutMs: number;
  readonly sampleEveryMs: number;
  /** Wait before the closing `rabbitmqctl list_queues`: its quorum queue counts lag up to 5 s. */
  readonly statisticsLagMs: number;
}

export interface RelaySettings {
  readonly windows: number;
  readonly windowMs: number;
  readonly drainTimeoutMs: number;
}

export interface FixedRateSettings {
  /** The fixed rate: this share of the lower of the two paths' sustained rates. */
  readonly shareOfSustained: number;
  /** The rate when there is no sustained rate to take a share of (quick runs). */
  readonly fallbackRate: number;
  /** Rounds: each runs the three tracing setups ABCCBA, each slot on restarted services. */
  readonly rounds: number;
  readonly measureMs: number;
  readonly warmupChunkMs: number;
  readonly stableChunks: number;
  /** The warm-up's last chunks' accept p50s agree within this factor (+0.5 ms). */
  readonly stableSpread: number;
  readonly maxWarmupMs: number;
  readonly drainTimeoutMs: number;
  /** The share of traces the `sampled` setup keeps. */
  readonly sampleRatio: number;
}

export interface ProfileSettings {
  /** How long each path runs at the fixed rate under the profiler. */
  readonly durationMs: number;
}

export interface BenchSettings {
  readonly mode: 'quick' | 'full';
  readonly matrix: MatrixSettings;
  readonly saturation: SaturationSettings;
  readonly faults: FaultSettings;
  readonly relays: RelaySettings;
  readonly fixedRate: FixedRateSettings;
  readonly profiles: ProfileSettings;
}

export const FULL: BenchSettings = {
  mode: 'full',
  matrix: {
    sizes: [64, 4096, 262_144],
    concurrencies: [1, 32],
    rounds: 5,
    warmupMs: 3_000,
    durationMs: 500,
    wireCalls: 100,
  },
  saturation: {
    startRate: 100,
    growth: 1.6,
    maxRate: 2_000,
    coarseSteps: 3,
    rounds: 5,
    roundSteps: 3,
    bracket: [0.85, 1.15],
    trialMs: 5_000,
    sampleEveryMs: 250,
    drainTimeoutMs: 60_000,
    users: 8,
  },
  faults: {
    durationMs: 9_000,
    faultFromMs: 2_000,
    faultUntilMs: 7_000,
    shareOfSustained: 0.5,
    minRate: 10,
    maxRate: 200,
    latencyMs: 300,
    rounds: 5,
    drainTimeoutMs: 90_000,
    sampleEveryMs: 250,
    statisticsLagMs: 6_000,
  },
  relays: { windows: 6, windowMs: 2_500, drainTimeoutMs: 60_000 },
  fixedRate: {
    shareOfSustained: 0.5,
    fallbackRate: 50,
    rounds: 5,
    measureMs: 5_000,
    warmupChunkMs: 1_000,
    stableChunks: 3,
    stableSpread: 1.25,
    maxWarmupMs: 8_000,
    drainTimeoutMs: 60_000,
    sampleRatio: 0.1,
  },
  profiles: { durationMs: 10_000 },
};

export const QUICK: BenchSettings = {
  mode: 'quick',
  matrix: { ...FULL.matrix, rounds: 1, warmupMs: 400, durationMs: 100, wireCalls: 10 },
  saturation: {
    ...FULL.saturation,
    startRate: 10,
    growth: 2,
    maxRate: 20,
    coarseSteps: 1,
    rounds: 1,
    roundSteps: 1,
    trialMs: 1_200,
    drainTimeoutMs: 20_000,
    users: 4,
  },
  faults: {
    ...FULL.faults,
    durationMs: 3_000,
    faultFromMs: 800,
    faultUntilMs: 2_000,
    minRate: 10,
    maxRate: 20,
    rounds: 1,
    drainTimeoutMs: 40_000,
    statisticsLagMs: 0,
  },
  relays: { windows: 2, windowMs: 1_000, drainTimeoutMs: 20_000 },
  fixedRate: {
    ...FULL.fixedRate,
    fallbackRate: 10,
    rounds: 1,
    measureMs: 1_000,
    warmupChunkMs: 300,
    stableChunks: 2,
    maxWarmupMs: 900,
  },
  profiles: { durationMs: 1_000 },
};
