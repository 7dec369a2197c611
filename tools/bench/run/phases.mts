// The bench's parts, in the order it runs them, each against the running topology.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchTopology, type BenchTopologyOptions } from '../bench-topology.mts';
import { type CheckoutRig } from '../checkout/checkout-rig.mts';
import { startHelper } from './child-process.mts';
import { awaitAllTerminal, awaitHealthy, awaitSettled } from '../checkout/drain.mts';
import { BENCH_RABBITMQ_URL, BENCH_REDIS_URL } from './environment.mts';
import { type FaultKind, type FaultRun, faultRun } from '../checkout/fault-scenarios.mts';
import { type MatrixResult, runMatrix } from '../matrix/matrix.mts';
import { CHECKOUT_MODES, type CheckoutMode } from '../load/open-loop.mts';
import { snapshot } from '../checkout/queue-depth.mts';
import { type CheckoutResults, type ProfileResults } from '../report/results.mts';
import { findSaturation, type Saturation } from '../checkout/saturation.mts';
import { relayBalance, type RelayBalance } from '../checkout/relay-balance.mts';
import { type BenchSettings } from './settings.mts';
import { bootstrapInterval, roundOrder, roundRatio } from '../report/intervals.mts';
import { planFor } from '../checkout/checkout-context.mts';
import { collectProfiles, monotonicUs, type ProfiledTracing } from './profiles.mts';
import {
  type FixedRateCost,
  fixedRateCost,
  type TracingSetup,
} from '../tracing/fixed-rate-cost.mts';

type Log = (line: string) => void;

const FLOOR_QUEUE = 'bench-floor.rpc';
const PROFILED_TRACING: readonly ProfiledTracing[] = ['off', 'sampled'];

export async function matrixPhase(
  topology: BenchTopology,
  settings: BenchSettings,
  random: () => number,
  log: Log,
): Promise<MatrixResult> {
  const floor = await startHelper<{ http: number; grpc: number; queue: string }>(
    '../matrix/floor-server.mts',
    [BENCH_REDIS_URL, BENCH_RABBITMQ_URL, FLOOR_QUEUE],
  );
  try {
    return await runMatrix(
      {
        junction: {
          restUrl: topology.url('inventory'),
          grpcTarget: topology.grpcTarget('inventory'),
          amqp: { url: BENCH_RABBITMQ_URL, queue: 'inventory.rpc' },
        },
        floor: {
          restUrl: `http://127.0.0.1:${String(floor.announced.http)}`,
          grpcTarget: `127.0.0.1:${String(floor.announced.grpc)}`,
          amqp: { url: BENCH_RABBITMQ_URL, queue: floor.announced.queue },
        },
      },
      settings.matrix,
      random,
      log,
    );
  } finally {
    await floor.stop();
  }
}

/** The rate a later part runs at: a share of the lower of the paths' sustained rates. */
export function shareOfSustained(
  saturation: Saturation,
  share: number,
  bounds: { readonly min: number; readonly max: number },
): number {
  const lower = Math.min(...saturation.sustained.map((s) => s.median));
  const rate = Number.isFinite(lower) && lower > 0 ? Math.round(lower * share) : bounds.min;
  return Math.min(bounds.max, Math.max(bounds.min, rate));
}

export async function checkoutPhase(
  topology: BenchTopology,
  rig: CheckoutRig,
  settings: BenchSettings,
  random: () => number,
): Promise<CheckoutResults> {
  const saturation = await findSaturation(rig, settings.saturation, random);
  // A saturated trial can leave orders behind (in a queue, or for orders' sweeper).
  await awaitAllTerminal(rig.ledger, settings.faults.drainTimeoutMs);
  const { minRate, maxRate, shareOfSustained: share } = settings.faults;
  const faultRatePerSecond = shareOfSustained(saturation, share, { min: minRate, max: maxRate });
  const faults: FaultRun[] = [];
  const run = async (kind: FaultKind, mode: CheckoutMode, round: number): Promise<FaultRun> => {
    rig.phase(`${kind} fault, ${mode}${round > 0 ? ` #${String(round + 1)}` : ''}`);
    const result = await faultRun(rig, topology, kind, mode, faultRatePerSecond, settings.faults);
    faults.push(result);
    return result;
  };
  // The queued accept p99 target: control and +latency in ABBA/BAAB rounds.
  const windowP99s: { none: number[]; latency: number[] }[] = [];
  for (let round = 0; round < settings.faults.rounds; round += 1) {
    const p99s = { none: [] as number[], latency: [] as number[] };
    for (const kind of roundOrder(['none', 'latency'] as const, random)) {
      p99s[kind].push((await run(kind, 'queued', round)).windowAcceptLatency.p99);
    }
    windowP99s.push(p99s);
  }
  for (const kind of ['none', 'latency', 'outage'] as const) await run(kind, 'blocking', 0);
  await run('outage', 'queued', 0);
  rig.phase('checkout: settling');
  const finished = Date.now();
  const all = await awaitAllTerminal(rig.ledger, settings.faults.drainTimeoutMs);
  // rabbitmqctl's counts of quorum queues are statistics refreshed every 5 s: let them catch up.
  await sleep(Math.max(0, finished + settings.faults.statisticsLagMs - Date.now()));
  return {
    saturation,
    faultRatePerSecond,
    faults,
    faultWindowP99: bootstrapInterval(windowP99s.map((r) => roundRatio(r.latency, r.none))),
    ordersInRedis: all.byStatus,
    allTerminalAfterMs: all.ms,
    queuesAfter: await snapshot(),
  };
}

export function relayPhase(
  topology: BenchTopology,
  rig: CheckoutRig,
  rate: number,
  settings: BenchSettings,
): Promise<RelayBalance> {
  rig.phase('two relays');
  return relayBalance(rig, topology, rate, settings.relays);
}

/** Starts the topology for a setup: nothing exported, every trace, or a sampled share. */
export type Restart = (options: BenchTopologyOptions) => Promise<BenchTopology>;

/**
 * CPU per checkout at a fixed rate under each tracing setup, each slot on freshly started
 * services exporting (or not) to the bench's own OTLP sink.
 */
export async function fixedRatePhase(
  rig: CheckoutRig,
  rate: number,
  settings: BenchSettings,
  random: () => number,
  restart: Restart,
): Promise<FixedRateCost> {
  const sink = await startHelper<{ port: number }>('../tracing/otlp-sink.mts', []);
  const endpoint = `http://127.0.0.1:${String(sink.announced.port)}`;
  rig.watchAlso({ name: 'trace sink', role: 'sink', pid: sink.pid });
  const exported = async (): Promise<{ requests: number; bytes: number }> => {
    const stats = (await (await fetch(`${endpoint}/stats`)).json()) as {
      exports: number;
      bytes: number;
    };
    return { requests: stats.exports, bytes: stats.bytes };
  };
  const optionsOf = (setup: TracingSetup): BenchTopologyOptions =>
    setup === 'off'
      ? {}
      : {
          otlpEndpoint: endpoint,
          ...(setup === 'sampled' ? { sampleRatio: settings.fixedRate.sampleRatio } : {}),
        };
  let current: BenchTopology | undefined;
  try {
    return await fixedRateCost(
      rig,
      rate,
      settings.fixedRate,
      settings.fixedRate.sampleRatio,
      random,
      {
        start: async (setup) => {
          current = await restart(optionsOf(setup));
          rig.attach(current);
        },
        stop: async () => {
          await current?.stop();
        },
      },
      exported,
    );
  } finally {
    rig.watchAlso(undefined);
    await sink.stop();
  }
}

/**
 * A CPU profile of every service while each path runs at the fixed rate, with tracing off and
 * then sampled as in the fixed-rate part (exporting to the bench's own sink): where the CPU goes,
 * and how much of it is telemetry's own code when 9 traces in 10 are not kept.
 */
export async function profilePhase(
  rig: CheckoutRig,
  rate: number,
  settings: BenchSettings,
  outDir: string,
  restart: Restart,
): Promise<ProfileResults> {
  const dir = join(outDir, 'profiles');
  await mkdir(dir, { recursive: true });
  const sink = await startHelper<{ port: number }>('../tracing/otlp-sink.mts', []);
  const sampled: BenchTopologyOptions = {
    otlpEndpoint: `http://127.0.0.1:${String(sink.announced.port)}`,
    sampleRatio: settings.fixedRate.sampleRatio,
  };
  const profiles = [];
  try {
    for (const mode of CHECKOUT_MODES) {
      for (const tracing of PROFILED_TRACING) {
        rig.phase(`profile ${mode}, tracing ${tracing}`);
        const topology = await restart({
          profileDir: dir,
          ...(tracing === 'sampled' ? sampled : {}),
        });
        rig.attach(topology);
        await awaitHealthy(rig, settings.fixedRate.drainTimeoutMs);
        const services = Object.fromEntries(topology.processes().map((p) => [p.pid, p.name]));
        const fromUs = monotonicUs();
        const run = await rig.load.run(planFor(mode, rate, settings.profiles.durationMs));
        const ids = run.placements.flatMap((p) => (p.orderId === undefined ? [] : [p.orderId]));
        await awaitSettled(rig.ledger, rig.sampler, ids, settings.fixedRate.drainTimeoutMs);
        const window = { fromUs, toUs: monotonicUs() };
        await topology.stop(); // each service writes its profile as it exits
        profiles.push(
          ...(await collectProfiles(dir, 'profiles', {
            mode,
            tracing,
            services,
            window,
            checkouts: run.placements.length,
          })),
        );
      }
    }
  } finally {
    await sink.stop();
  }
  return {
    ratePerSecond: rate,
    durationMs: settings.profiles.durationMs,
    sampleRatio: settings.fixedRate.sampleRatio,
    profiles,
  };
}
