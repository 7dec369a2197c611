// The bench's parts, in the order it runs them, each against the running topology.
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchTopology, type BenchTopologyOptions } from '../bench-topology.mts';
import { type CheckoutRig } from '../checkout/checkout-rig.mts';
import { startHelper } from './child-process.mts';
import { awaitAllTerminal, awaitHealthy } from '../checkout/drain.mts';
import { BENCH_RABBITMQ_URL, BENCH_REDIS_URL } from './environment.mts';
import { FAULT_KINDS, type FaultRun, faultRun } from '../checkout/fault-scenarios.mts';
import { type MatrixResult, runMatrix } from '../matrix/matrix.mts';
import { CHECKOUT_MODES } from '../load/open-loop.mts';
import { snapshot } from '../checkout/queue-depth.mts';
import { type CheckoutResults } from '../report/results.mts';
import { sweep } from '../checkout/saturation.mts';
import { type BenchSettings } from './settings.mts';
import {
  checkoutThroughput,
  overhead,
  type SetupRound,
  setupOrder,
  type TracingOverhead,
  type TracingSetup,
} from '../tracing/tracing-overhead.mts';

type Log = (line: string) => void;

const FLOOR_QUEUE = 'bench-floor.rpc';

export async function matrixPhase(
  topology: BenchTopology,
  settings: BenchSettings,
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
      log,
    );
  } finally {
    await floor.stop();
  }
}

export async function checkoutPhase(
  topology: BenchTopology,
  rig: CheckoutRig,
  settings: BenchSettings,
): Promise<CheckoutResults> {
  const sweeps = [];
  for (const mode of CHECKOUT_MODES) {
    rig.phase(`sweep ${mode}`);
    sweeps.push(await sweep(rig, mode, settings.checkout));
    // A saturated step can leave orders behind (in a queue, or for orders' sweeper).
    await awaitAllTerminal(rig.ledger, settings.faults.drainTimeoutMs);
  }
  const knee = Math.min(...sweeps.map((s) => s.kneePerSecond));
  const { minRate, maxRate, shareOfKnee } = settings.faults;
  const faultRatePerSecond = Math.min(maxRate, Math.max(minRate, Math.round(knee * shareOfKnee)));
  const faults: FaultRun[] = [];
  for (const kind of FAULT_KINDS) {
    for (const mode of CHECKOUT_MODES) {
      rig.phase(`${kind} fault, ${mode}`);
      faults.push(await faultRun(rig, topology, kind, mode, faultRatePerSecond, settings.faults));
    }
  }
  rig.phase('checkout: settling');
  const finished = Date.now();
  const all = await awaitAllTerminal(rig.ledger, settings.faults.drainTimeoutMs);
  // rabbitmqctl's counts of quorum queues are statistics refreshed every 5 s: let them catch up.
  await sleep(Math.max(0, finished + settings.faults.statisticsLagMs - Date.now()));
  return {
    sweeps,
    faultRatePerSecond,
    faults,
    ordersInRedis: all.byStatus,
    allTerminalAfterMs: all.ms,
    queuesAfter: await snapshot(),
  };
}

/**
 * Checkouts per second under each tracing setup, each on freshly started services (`restart`
 * stops the running ones first, which flushes their last spans to the sink).
 */
export async function tracingPhase(
  rig: CheckoutRig,
  settings: BenchSettings,
  restart: (options: BenchTopologyOptions) => Promise<BenchTopology>,
  log: Log,
): Promise<TracingOverhead> {
  const sink = await startHelper<{ port: number }>('../tracing/otlp-sink.mts', []);
  const endpoint = `http://127.0.0.1:${String(sink.announced.port)}`;
  const exported = async (): Promise<SetupRound['exported']> => {
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
          ...(setup === 'sampled' ? { sampleRatio: settings.tracing.sampleRatio } : {}),
        };
  try {
    const rounds: SetupRound[] = [];
    for (let index = 0; index < settings.tracing.rounds; index += 1) {
      for (const setup of setupOrder(index)) {
        rig.phase(`tracing ${setup} #${String(index + 1)}`);
        const topology = await restart(optionsOf(setup));
        await awaitHealthy(rig, settings.faults.drainTimeoutMs);
        const before = await exported();
        const paths = await checkoutThroughput(rig.load, settings.tracing);
        await topology.stop(); // flushes the last spans to the sink
        const after = await exported();
        rounds.push({
          setup,
          paths,
          exported: {
            requests: after.requests - before.requests,
            bytes: after.bytes - before.bytes,
          },
        });
        log(
          `tracing ${setup.padEnd(7)} #${String(index + 1)}: ${paths.map((p) => `${p.mode} ${String(p.throughput)}/s`).join(', ')}`,
        );
      }
    }
    return overhead(settings.tracing, rounds);
  } finally {
    await sink.stop();
  }
}
