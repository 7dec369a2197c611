// How long and how hard each part of the bench runs: the full run (~12 min) and --quick (< 2 min,
// for CI: every cell gets numbers, none of them meaningful).
import { type MatrixSettings } from '../matrix/matrix.mts';

export interface CheckoutSettings {
  /** Offered rates of the saturation sweep, orders/s, tried in order until one saturates. */
  readonly rates: readonly number[];
  readonly stepMs: number;
  /** Longest wait for a step's orders to be terminal and the queues empty. */
  readonly drainTimeoutMs: number;
  readonly users: number;
}

export interface FaultSettings {
  /** Arrivals of one fault run, and when in it the fault starts and ends. */
  readonly durationMs: number;
  readonly faultFromMs: number;
  readonly faultUntilMs: number;
  /** The fault runs are offered this share of the lower knee of the sweeps, within the bounds. */
  readonly shareOfKnee: number;
  readonly minRate: number;
  readonly maxRate: number;
  readonly latencyMs: number;
  readonly drainTimeoutMs: number;
  readonly sampleEveryMs: number;
  /** Wait before the closing `rabbitmqctl list_queues`: its quorum queue counts lag up to 5 s. */
  readonly statisticsLagMs: number;
}

export interface TracingSettings {
  readonly concurrency: number;
  /** Each setup (off, every trace, sampled) runs once per round, on restarted services. */
  readonly rounds: number;
  /** The share of traces the sampled setup keeps. */
  readonly sampleRatio: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface BenchSettings {
  readonly mode: 'quick' | 'full';
  readonly matrix: MatrixSettings & { readonly rounds: number };
  readonly checkout: CheckoutSettings;
  readonly faults: FaultSettings;
  readonly tracing: TracingSettings;
}

export const FULL: BenchSettings = {
  mode: 'full',
  matrix: {
    sizes: [64, 4096, 262_144],
    concurrencies: [1, 32],
    rounds: 4,
    warmupMs: 1_000,
    durationMs: 1_000,
    wireCalls: 100,
  },
  checkout: {
    rates: [10, 20, 40, 80, 120, 160, 240, 320, 480, 640, 800, 1000, 1200],
    stepMs: 15_000,
    drainTimeoutMs: 60_000,
    users: 8,
  },
  faults: {
    durationMs: 30_000,
    faultFromMs: 5_000,
    faultUntilMs: 15_000,
    shareOfKnee: 0.6,
    minRate: 10,
    maxRate: 80,
    latencyMs: 300,
    drainTimeoutMs: 90_000,
    sampleEveryMs: 250,
    statisticsLagMs: 6_000,
  },
  tracing: { concurrency: 16, rounds: 3, sampleRatio: 0.1, warmupMs: 3_000, durationMs: 10_000 },
};

export const QUICK: BenchSettings = {
  mode: 'quick',
  matrix: { ...FULL.matrix, rounds: 1, warmupMs: 100, durationMs: 150, wireCalls: 10 },
  checkout: { rates: [10, 30], stepMs: 1_200, drainTimeoutMs: 20_000, users: 4 },
  faults: {
    ...FULL.faults,
    durationMs: 3_000,
    faultFromMs: 800,
    faultUntilMs: 2_000,
    minRate: 10,
    maxRate: 20,
    drainTimeoutMs: 40_000,
    statisticsLagMs: 0,
  },
  tracing: { ...FULL.tracing, concurrency: 4, rounds: 1, warmupMs: 300, durationMs: 1_000 },
};
