// npm run bench -- [--quick] [--out <dir>] [--publish] [--seed <n>]
//
// Junction's benchmarks on the local topology (started here: ports +500, Redis db 12, vhost
// junction-bench, all removed at the end): the transport matrix against the raw floor, blocking
// against queued checkouts (sustained rates, CPU per checkout, payment faults), two relays on one
// outbox, tracing's CPU cost, and CPU profiles. Writes bench/results/<timestamp>/ (results.json,
// report.md, SVG charts, profiles/). See docs/performance.md.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BROKER_HOST } from '@junction/testkit';
import { reachable, ROOT } from '../local/topology.mts';
import { BenchTopology, type BenchTopologyOptions } from './bench-topology.mts';
import { type CheckoutRig, openCheckoutRig } from './checkout/checkout-rig.mts';
import {
  BENCH_RABBITMQ_URL,
  BENCH_REDIS_URL,
  describeMachine,
  redisRunId,
  removeInfrastructure,
  resetInfrastructure,
} from './run/environment.mts';
import { machineActivity } from './run/machine-activity.mts';
import { MachineLoad } from './run/machine-load.mts';
import { publish, PUBLISHED, writeRun } from './report/output.mts';
import {
  checkoutPhase,
  fixedRatePhase,
  matrixPhase,
  profilePhase,
  relayPhase,
  shareOfSustained,
} from './run/phases.mts';
import { seededRandom } from './report/intervals.mts';
import { type BenchResults } from './report/results.mts';
import { type BenchSettings, FULL, QUICK } from './run/settings.mts';
import { judgeTargets, type Measured } from './report/targets.mts';

const USAGE = `Usage: npm run bench -- [options]

Starts Junction's five services locally (ports +500, Redis database 12, RabbitMQ vhost
junction-bench; all removed afterwards) and measures, in randomised ABBA rounds:
  1. GetItem over REST, gRPC and AMQP request-reply through Junction against a raw floor
     (node:http, @grpc/grpc-js, amqplib) at 64 B, 4 KiB and 256 KiB, serial and 32 in flight;
  2. the sustained rate of blocking and of queued checkouts (bisection on the offered rate,
     open loop, steady latency and backlog), with CPU per checkout of every process;
  3. both paths with no fault (the control), +300 ms on payment, and payment killed;
  4. two orders replicas' outbox relays sharing one outbox;
  5. CPU-ms per checkout at a fixed rate with tracing off, on for every trace, and sampled;
  6. a CPU profile of every service at that rate, per path, tracing off and sampled.
Full run: about 32 minutes. Needs RabbitMQ (with rabbitmqctl) and Redis on localhost, and the
services built (npm run bench builds them).

  --quick          every part, briefly (a few minutes): numbers to check the bench, not to quote
  --out <dir>      where to write (default bench/results/<timestamp>)
  --publish        also copy the run to docs/performance/ (report, results, charts, profiles)
  --seed <n>       the random order of cells, rounds and slots (default: from the clock)
  -h, --help       show this help
`;

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** The bench decides where spans go: none, or its own sink (tracing phase). */
function forgetTelemetryEnvironment(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('OTEL_')) Reflect.deleteProperty(process.env, name);
  }
}

async function preflight(): Promise<void> {
  if (!(await reachable(BENCH_REDIS_URL)))
    throw new Error(`Redis is not reachable at ${BENCH_REDIS_URL}`);
  if (!(await reachable(BENCH_RABBITMQ_URL)))
    throw new Error(`RabbitMQ is not reachable at ${BROKER_HOST}`);
}

async function bench(
  quick: boolean,
  out: string | undefined,
  runId: string,
  seed: number,
): Promise<string> {
  const settings = quick ? QUICK : FULL;
  await preflight();
  await resetInfrastructure();
  try {
    const dir = out ?? join(ROOT, 'bench', 'results', runId);
    const results = await measure(settings, runId, seed, dir);
    const files = await writeRun(dir, results);
    log(
      `wrote ${String(files.length)} files to ${dir}; the run took ${String(results.durationS)} s`,
    );
    return dir;
  } finally {
    await removeInfrastructure();
  }
}

type Parts = Pick<BenchResults, 'matrix' | 'checkout' | 'relays' | 'fixedRate' | 'profiles'> & {
  /** ms since the epoch. */
  readonly brokerConnectionDrops: readonly number[];
};

/** Every part, in order, on one topology (restarted per slot for the last two parts). */
async function runParts(
  settings: BenchSettings,
  load: MachineLoad,
  random: () => number,
  outDir: string,
): Promise<Parts> {
  let topology = await BenchTopology.start();
  let rig: CheckoutRig | undefined;
  const drops: number[] = [];
  load.watch(() => rig?.processes() ?? topology.processes());
  try {
    log('topology up; transport matrix');
    load.phase('transport matrix');
    const matrix = await matrixPhase(topology, settings, random, log);
    log('checkout: saturation, then faults');
    rig = await openCheckoutRig(topology, settings.saturation.users, log, (name) => {
      load.phase(name);
    });
    const checkout = await checkoutPhase(topology, rig, settings, random);
    const { shareOfSustained: share, fallbackRate } = settings.fixedRate;
    const rate = shareOfSustained(checkout.saturation, share, {
      min: fallbackRate,
      max: Number.POSITIVE_INFINITY,
    });
    log(`two relays, then CPU per checkout at ${String(rate)}/s`);
    const relays = await relayPhase(topology, rig, rate, settings);
    const restart = async (options: BenchTopologyOptions): Promise<BenchTopology> => {
      await topology.stop();
      drops.push(...topology.brokerConnectionDrops);
      topology = await BenchTopology.start(options);
      return topology;
    };
    const fixedRate = await fixedRatePhase(rig, rate, settings, random, restart);
    log('CPU profiles');
    const profiles = await profilePhase(rig, rate, settings, outDir, restart);
    return {
      matrix,
      checkout,
      relays,
      fixedRate,
      profiles,
      brokerConnectionDrops: [...drops, ...topology.brokerConnectionDrops],
    };
  } finally {
    await rig?.close();
    await topology.stop();
  }
}

/** The run, with what it ran on and how busy and stable the machine was meanwhile. */
async function measure(
  settings: BenchSettings,
  runId: string,
  seed: number,
  outDir: string,
): Promise<BenchResults> {
  const started = new Date();
  const machine = await describeMachine();
  const activityAtStart = await machineActivity();
  const redisAtStart = await redisRunId();
  log(
    `${settings.mode} run ${runId} (seed ${String(seed)}): ${String(machine.cpuCount)} × ${machine.cpuModel}, Node ${machine.node}, load ${String(machine.loadAverageAtStart)}`,
  );
  const load = new MachineLoad();
  load.phase('start services');
  const { brokerConnectionDrops, ...parts } = await runParts(
    settings,
    load,
    seededRandom(seed),
    outDir,
  );
  const finished = new Date();
  const measured: Measured = {
    schema: 2,
    runId,
    seed,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationS: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    settings,
    machine,
    activityAtStart,
    loadAverageAtEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    machineLoad: load.finish(),
    disturbances: {
      redisRestarted: (await redisRunId()) !== redisAtStart,
      brokerConnectionDropsAtS: brokerConnectionDrops.map(
        (at) => Math.round((at - started.getTime()) / 100) / 10,
      ),
    },
    ...parts,
  };
  return { ...measured, targets: judgeTargets(measured) };
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      publish: { type: 'boolean', default: false },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  forgetTelemetryEnvironment();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping (the services and helpers get SIGKILL)`);
      void removeInfrastructure().finally(() => process.exit(130));
    });
  }
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`--seed wants a whole number, not ${String(values.seed)}`);
  const dir = await bench(values.quick, values.out, runId, seed);
  if (values.publish) {
    await publish(dir);
    log(`published to ${PUBLISHED}`);
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
