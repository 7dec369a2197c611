// Runs one scenario end to end: a clean slate, the five services, known stock, shoppers, the
// open-loop load while the scenario breaks something, the settle, then the books.
import { type Redis } from 'ioredis';
import { AmqpClient, sleep } from '@junction/testkit';
import { type BooksReport } from './books.mts';
import { evidenceDirOf, writeLedger, writeLogs } from './evidence.mts';
import { resetForScenario } from './infrastructure.mts';
import { inspectBooks } from './inspect.mts';
import { CHAOS_CATALOG, type LoadProfile, OpenLoopLoad, type Placement } from './load.mts';
import { OwnRedisServer } from './own-redis.mts';
import { type Scenario, type ScenarioContext } from './scenario.mts';
import { settle } from './settle.mts';
import { registerShoppers } from './shoppers.mts';
import { ChaosStage } from './stage.mts';
import { describeOutcomes } from './outcomes.mts';
import { CHAOS_RABBITMQ_URL, CHAOS_REDIS_URL, OWN_REDIS_PORT } from './settings.mts';

export interface RunOptions {
  /** CI size: a shorter, slower load. */
  readonly quick: boolean;
  /** Breaks the books on purpose right before they are read (proves the audit can fail). */
  readonly sabotage?: (redis: Redis) => Promise<void>;
  /** Overrides the load profile (after the scenario's own). */
  readonly load?: Partial<LoadProfile>;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly books: BooksReport;
  /** The books' violations and the scenario's own. */
  readonly violations: readonly string[];
  readonly notes: readonly string[];
  readonly durationMs: number;
  /** Where every service's log of this scenario was written. */
  readonly logsDir: string;
}

const SHOPPERS = 4;

function loadProfileOf(scenario: Scenario, options: RunOptions): LoadProfile {
  const size = options.quick
    ? { ratePerSecond: 20, durationMs: 6_000 }
    : { ratePerSecond: 30, durationMs: 10_000 };
  return { ...size, queuedShare: 0.5, declinedShare: 0.25, ...scenario.load, ...options.load };
}

export async function runScenario(
  scenario: Scenario,
  options: RunOptions,
): Promise<ScenarioResult> {
  const started = Date.now();
  const ownRedis = scenario.ownRedis ? await OwnRedisServer.start(OWN_REDIS_PORT) : undefined;
  try {
    const redisUrl = ownRedis?.url(11) ?? CHAOS_REDIS_URL;
    await resetForScenario(redisUrl);
    const stage = new ChaosStage({ redisUrl, ...(scenario.env ? { env: scenario.env } : {}) });
    const logsDir = evidenceDirOf(scenario.name);
    try {
      await stage.startAll();
      const outcome = await underLoad(scenario, stage, ownRedis, options);
      await stage.close();
      const exitViolations = stage.exits
        .filter((exit) => exit.signal === 'SIGTERM' && exit.code !== 0)
        .map((exit) => `${exit.service} exited with ${String(exit.code)} on SIGTERM`);
      return {
        scenario,
        ...outcome,
        violations: [...outcome.violations, ...exitViolations],
        durationMs: Date.now() - started,
        logsDir,
      };
    } finally {
      await stage.close();
      await writeLogs(logsDir, stage.logs);
    }
  } finally {
    await ownRedis?.remove();
  }
}

interface Findings {
  readonly notes: string[];
  readonly violations: string[];
  readonly expectedParked: Map<string, string[]>;
}

async function underLoad(
  scenario: Scenario,
  stage: ChaosStage,
  ownRedis: OwnRedisServer | undefined,
  options: RunOptions,
): Promise<{ books: BooksReport; violations: string[]; notes: string[] }> {
  const profile = loadProfileOf(scenario, options);
  for (const item of CHAOS_CATALOG) {
    await stage.redis.set(`inventory:stock:${item.sku}`, item.stock);
  }
  const shoppers = await registerShoppers(stage.url('auth', ''), SHOPPERS);
  const load = new OpenLoopLoad(stage.url('orders', ''), shoppers, profile);
  const findings: Findings = { notes: [], violations: [], expectedParked: new Map() };
  const amqp = lazyAmqpClient();
  const loadStartedAt = Date.now();
  const loadDone = load.run();
  try {
    const context = scenarioContext(
      stage,
      ownRedis,
      profile,
      { loadStartedAt, loadDone },
      amqp,
      findings,
    );
    await Promise.all([loadDone, scenario.disrupt(context)]);
    const settling = await settle(stage.redis);
    findings.notes.push(
      `orders terminal ${seconds(settling.ordersMs)}, queues idle ${seconds(settling.queuesMs)} after the load`,
    );
  } finally {
    await amqp.close();
  }
  await options.sabotage?.(stage.redis);
  const { books, ledger } = await inspectBooks(
    stage.redis,
    CHAOS_CATALOG,
    load.placements,
    findings.expectedParked,
  );
  await writeLedger(evidenceDirOf(scenario.name), ledger, load.placements);
  return {
    books,
    violations: [...books.violations, ...findings.violations],
    notes: [...describeOutcomes(load.placements, ledger), ...findings.notes],
  };
}

function scenarioContext(
  stage: ChaosStage,
  ownRedis: OwnRedisServer | undefined,
  profile: LoadProfile,
  load: { loadStartedAt: number; loadDone: Promise<readonly Placement[]> },
  amqp: { connect(): Promise<AmqpClient> },
  findings: Findings,
): ScenarioContext {
  return {
    stage,
    profile,
    ownRedis,
    ...load,
    atLoadFraction: (fraction) =>
      sleep(Math.max(0, load.loadStartedAt + fraction * profile.durationMs - Date.now())),
    settle: async () => {
      await settle(stage.redis);
    },
    amqp: () => amqp.connect(),
    expectParked: (queue, messageId) =>
      findings.expectedParked.set(queue, [
        ...(findings.expectedParked.get(queue) ?? []),
        messageId,
      ]),
    note: (text) => findings.notes.push(text),
    violation: (text) => findings.violations.push(text),
  };
}

/** One external AMQP client, connected on first use; `close` closes it if it was. */
function lazyAmqpClient(): { connect(): Promise<AmqpClient>; close(): Promise<void> } {
  let client: Promise<AmqpClient> | undefined;
  return {
    connect: () => (client ??= AmqpClient.connect(CHAOS_RABBITMQ_URL)),
    close: async () => {
      await (await client?.catch(() => undefined))?.close();
    },
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
