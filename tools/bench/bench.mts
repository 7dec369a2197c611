// npm run bench -- [--quick] [--out <dir>] [--publish]
//
// Junction's benchmarks on the local topology (started here: ports +500, Redis db 12, vhost
// junction-bench, all removed at the end): the transport matrix against the raw floor, blocking
// against queued checkouts at increasing load and under payment faults, and tracing's overhead.
// Writes bench/results/<timestamp>/ (results.json, report.md, SVG charts). See docs/performance.md.
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
import { checkoutPhase, matrixPhase, tracingPhase } from './run/phases.mts';
import { type BenchResults } from './report/results.mts';
import { type BenchSettings, FULL, QUICK } from './run/settings.mts';
import { judgeTargets, type Measured } from './report/targets.mts';

const USAGE = `Usage: npm run bench -- [options]

Starts Junction's five services locally (ports +500, Redis database 12, RabbitMQ vhost
junction-bench; all removed afterwards) and measures:
  1. GetItem over REST, gRPC and AMQP request-reply through Junction against a raw floor
     (node:http, @grpc/grpc-js, amqplib) at 64 B, 4 KiB and 256 KiB, serial and 32 in flight;
  2. blocking against queued checkouts, open loop at increasing rates until saturation;
  3. both paths with no fault (the control), +300 ms on payment, and payment killed for 10 s;
  4. checkouts/s with tracing off, on for every trace (OTLP to a local sink), and sampled.
Full run: about 17 minutes. Needs RabbitMQ (with rabbitmqctl) and Redis on localhost, and the
services built (npm run bench builds them).

  --quick          every part, briefly (< 2 minutes): numbers to check the bench, not to quote
  --out <dir>      where to write (default bench/results/<timestamp>)
  --publish        also copy the run to docs/performance/ (report, results, charts)
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

async function bench(quick: boolean, out: string | undefined, runId: string): Promise<string> {
  const settings = quick ? QUICK : FULL;
  await preflight();
  await resetInfrastructure();
  try {
    const results = await measure(settings, runId);
    const dir = out ?? join(ROOT, 'bench', 'results', runId);
    const files = await writeRun(dir, results);
    log(
      `wrote ${String(files.length)} files to ${dir}; the run took ${String(results.durationS)} s`,
    );
    return dir;
  } finally {
    await removeInfrastructure();
  }
}

type Parts = Pick<BenchResults, 'matrix' | 'checkout' | 'tracing'> & {
  /** ms since the epoch. */
  readonly brokerConnectionDrops: readonly number[];
};

/** Every part, in order, on one topology (restarted per tracing setup for the last part). */
async function runParts(settings: BenchSettings, load: MachineLoad): Promise<Parts> {
  let topology = await BenchTopology.start();
  let rig: CheckoutRig | undefined;
  const drops: number[] = [];
  try {
    log('topology up; transport matrix');
    load.phase('transport matrix');
    const matrix = await matrixPhase(topology, settings, log);
    log('checkout: saturation sweeps and faults');
    rig = await openCheckoutRig(topology, settings.checkout.users, log, (name) => {
      load.phase(name);
    });
    const checkout = await checkoutPhase(topology, rig, settings);
    log('tracing overhead');
    const restart = async (options: BenchTopologyOptions): Promise<BenchTopology> => {
      await topology.stop();
      drops.push(...topology.brokerConnectionDrops);
      topology = await BenchTopology.start(options);
      return topology;
    };
    const tracing = await tracingPhase(rig, settings, restart, log);
    return {
      matrix,
      checkout,
      tracing,
      brokerConnectionDrops: [...drops, ...topology.brokerConnectionDrops],
    };
  } finally {
    await rig?.close();
    await topology.stop();
  }
}

/** The run, with what it ran on and how busy and stable the machine was meanwhile. */
async function measure(settings: BenchSettings, runId: string): Promise<BenchResults> {
  const started = new Date();
  const machine = await describeMachine();
  const activityAtStart = await machineActivity();
  const redisAtStart = await redisRunId();
  log(
    `${settings.mode} run ${runId}: ${String(machine.cpuCount)} × ${machine.cpuModel}, Node ${machine.node}, load ${String(machine.loadAverageAtStart)}`,
  );
  const load = new MachineLoad();
  load.phase('start services');
  const { brokerConnectionDrops, ...parts } = await runParts(settings, load);
  const finished = new Date();
  const measured: Measured = {
    schema: 1,
    runId,
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
  const dir = await bench(values.quick, values.out, runId);
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
