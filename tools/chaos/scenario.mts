// What a chaos scenario is: a name, a load profile, and what it breaks while the load runs.
import { type AmqpClient } from '@junction/testkit';
import { type LoadProfile, type Placement } from './load.mts';
import { type OwnRedisServer } from './own-redis.mts';
import { type ChaosStage } from './stage.mts';

export interface ScenarioContext {
  readonly stage: ChaosStage;
  readonly profile: LoadProfile;
  /** The scenario's own redis-server, when it asked for one. */
  readonly ownRedis: OwnRedisServer | undefined;
  /** When the load started (epoch ms); placements' `sentAtMs` count from here. */
  readonly loadStartedAt: number;
  /** Resolves once every order of the load has its answer. */
  readonly loadDone: Promise<readonly Placement[]>;
  /** Resolves once `fraction` (0..1) of the load's duration has passed. */
  atLoadFraction(fraction: number): Promise<void>;
  /** Waits until every order is terminal and the queues are idle (bounded). */
  settle(): Promise<void>;
  /** An external AMQP client on the chaos vhost (connected on first use, closed by the runner). */
  amqp(): Promise<AmqpClient>;
  /** Poison the scenario injected: it must end, exactly, in `parkingQueue`. */
  expectParked(parkingQueue: string, messageId: string): void;
  /** A line for the results table. */
  note(text: string): void;
  /** A rule of this scenario that did not hold (the books' rules are checked by the runner). */
  violation(text: string): void;
}

export interface Scenario {
  /** For `--only` and log directories: kill-payment. */
  readonly name: string;
  /** What breaks: "SIGKILL payment mid-load, restart". */
  readonly title: string;
  /** Part of the CI-sized subset in `npm test`. */
  readonly inCi: boolean;
  readonly load?: Partial<LoadProfile>;
  /** Runs against a redis-server of its own (persistent, restartable) instead of the machine's. */
  readonly ownRedis?: boolean;
  /** Extra environment per service. */
  readonly env?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Breaks something while the load runs; resolves once its part is over. */
  disrupt(context: ScenarioContext): Promise<void>;
}
