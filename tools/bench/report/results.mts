// results.json: everything one run measured, and nothing from any other run.
import { type Machine } from '../run/environment.mts';
import { type FaultRun } from '../checkout/fault-scenarios.mts';
import { type MachineActivity } from '../run/machine-activity.mts';
import { type MachineLoadRecord } from '../run/machine-load.mts';
import { type MatrixResult } from '../matrix/matrix.mts';
import { type QueueRow } from '../checkout/queue-depth.mts';
import { type Saturation } from '../checkout/saturation.mts';
import { type RelayBalance } from '../checkout/relay-balance.mts';
import { type BenchSettings } from '../run/settings.mts';
import { type ServiceProfile } from '../run/profiles.mts';
import { type Interval } from './intervals.mts';
import { type TargetVerdict } from './targets.mts';
import { type FixedRateCost } from '../tracing/fixed-rate-cost.mts';

export interface CheckoutResults {
  readonly saturation: Saturation;
  /** The rate the fault runs were offered: a share of the lower sustained rate, within bounds. */
  readonly faultRatePerSecond: number;
  readonly faults: FaultRun[];
  /** Queued accept p99 in the fault window, +latency ÷ control, per ABBA round. */
  readonly faultWindowP99: Interval;
  /** Every order in orders' keyspace at the end of the checkout runs, by status. */
  readonly ordersInRedis: Readonly<Record<string, number>>;
  /** How long after the last run every order in Redis was terminal (sweeper included). */
  readonly allTerminalAfterMs: number;
  /**
   * `rabbitmqctl list_queues` of the bench's vhost after the checkout runs, once its counts of
   * quorum queues (statistics refreshed every 5 s) caught up.
   */
  readonly queuesAfter: QueueRow[];
}

export interface ProfileResults {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** The share of traces kept in the `sampled` profiles. */
  readonly sampleRatio: number;
  readonly profiles: ServiceProfile[];
}

export interface BenchResults {
  readonly schema: 2;
  readonly runId: string;
  /** Seeds the random order of cells, rounds and slots: the same seed, the same order. */
  readonly seed: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationS: number;
  readonly settings: BenchSettings;
  readonly machine: Machine;
  /** What the machine did just before the run: was anything else loading it? */
  readonly activityAtStart: MachineActivity;
  /** 1-minute load average when the run ended. */
  readonly loadAverageAtEnd: number;
  /** The load average over the run, and per part of it. */
  readonly machineLoad: MachineLoadRecord;
  /** Infrastructure trouble under the run (another process restarting Redis or RabbitMQ). */
  readonly disturbances: {
    readonly redisRestarted: boolean;
    /**
     * When (s after the start) a service lost its broker connection and reconnected; the killed
     * payment's own connection is not counted.
     */
    readonly brokerConnectionDropsAtS: number[];
  };
  readonly matrix: MatrixResult;
  readonly checkout: CheckoutResults;
  readonly relays: RelayBalance;
  /** CPU per checkout at a fixed rate: both paths, tracing off, on and sampled. */
  readonly fixedRate: FixedRateCost;
  readonly profiles: ProfileResults;
  /** The ratio targets, judged on this run's numbers. */
  readonly targets: TargetVerdict[];
}
