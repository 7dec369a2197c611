// The run's charts, as SVG files: latency CDF per transport (Junction solid, raw floor dashed),
// each target's ratio with its 95 % interval against its limit, confirmed orders/s and latency
// against offered load per checkout path, CPU per checkout by process, the two relays' shares,
// and what each fault did over time (the queued path's backlog, the blocking path's latency and
// failures).
import { type FaultRun } from '../checkout/fault-scenarios.mts';
import { type MatrixCell } from '../matrix/matrix.mts';
import { type BenchResults } from './results.mts';
import { type Trial } from '../checkout/saturation.mts';
import {
  type Band,
  intervalChart,
  lineChart,
  PALETTE,
  type Point,
  type Series,
  stackedBarChart,
} from './svg-chart.mts';
import { TRANSPORTS, type Transport } from '../matrix/transports.mts';
import { COUNTED_ROLES } from '../run/process-cpu.mts';

export type Charts = Record<string, string>;

export async function charts(results: BenchResults): Promise<Charts> {
  const files: Record<string, Promise<string>> = {};
  for (const transport of TRANSPORTS) {
    for (const concurrency of results.settings.matrix.concurrencies) {
      files[`cdf-${transport}-c${String(concurrency)}.svg`] = cdfChart(
        results.matrix.cells,
        transport,
        concurrency,
      );
    }
  }
  files['targets.svg'] = intervalChart(
    'Each target: the ratio, its 95 % interval (bar) and its limit (red)',
    results.targets.map((t) => ({ label: t.target, ...t.interval, limit: t.limit })),
  );
  files['machine-load.svg'] = machineLoadChart(results);
  files['throughput.svg'] = throughputVsLoad(results);
  files['load-paths.svg'] = pathsVsLoad(results);
  files['cpu-per-checkout.svg'] = cpuChart(results);
  files['relays.svg'] = relayChart(results);
  const charted = new Set<string>();
  for (const run of results.checkout.faults) {
    const name = `fault-${run.kind}-${run.mode}`;
    if (run.kind === 'none' || charted.has(name)) continue; // the control: in the report's table
    charted.add(name); // the first run of each fault
    if (run.mode === 'queued') files[`${name}-backlog.svg`] = backlogChart(run);
    else {
      files[`${name}-latency.svg`] = blockingLatencyChart(run);
      files[`${name}-failures.svg`] = blockingFailuresChart(run);
    }
  }
  const names = Object.keys(files);
  const svgs = await Promise.all(Object.values(files));
  return Object.fromEntries(names.map((name, i) => [name, svgs[i] ?? '']));
}

/** The coarse search's trials of each path, by offered rate. */
function coarseTrials(results: BenchResults): { mode: string; trials: Trial[] }[] {
  return results.checkout.saturation.coarse.map((search) => ({
    mode: search.mode,
    trials: [...search.trials].sort((a, b) => a.offeredPerSecond - b.offeredPerSecond),
  }));
}

const SIZE_LABEL: Readonly<Record<number, string>> = {
  64: '64 B',
  4096: '4 KiB',
  262144: '256 KiB',
};

function sizeLabel(bytes: number): string {
  return SIZE_LABEL[bytes] ?? `${String(bytes)} B`;
}

function cdfChart(
  cells: readonly MatrixCell[],
  transport: Transport,
  concurrency: number,
): Promise<string> {
  const chosen = cells.filter((c) => c.transport === transport && c.concurrency === concurrency);
  const sizes = [...new Set(chosen.map((c) => c.paddingBytes))];
  const series: Series[] = chosen.map((cell) => ({
    label: `${cell.implementation === 'junction' ? 'Junction' : 'raw floor'} ${sizeLabel(cell.paddingBytes)}`,
    points: cell.cdf.map((p): Point => [p.ms, p.q * 100]),
    color: PALETTE[sizes.indexOf(cell.paddingBytes) % PALETTE.length] ?? '#000',
    dashed: cell.implementation === 'floor',
  }));
  const how = concurrency === 1 ? 'serial' : `${String(concurrency)} in flight`;
  return lineChart({
    title: `GetItem over ${transport.toUpperCase()}: latency CDF (${how})`,
    x: { label: 'latency (ms, log scale)', log: true },
    y: { label: 'percentile', min: 0, max: 100 },
    series,
  });
}

/** Both paths: what the client waits for (accept) and for the outcome (completion), p50. */
function pathsVsLoad(results: BenchResults): Promise<string> {
  const series: Series[] = coarseTrials(results).flatMap(({ mode, trials }, i) => {
    const color = PALETTE[i + 2] ?? '#000';
    const points = (pick: (trial: Trial) => number): Point[] =>
      trials.map((trial) => [trial.offeredPerSecond, pick(trial)]);
    return [
      { label: `${mode} accept p50`, points: points((t) => t.path.acceptLatency.p50), color },
      {
        label: `${mode} completion p50`,
        points: points((t) => t.path.completionLatency.p50),
        color,
        dashed: true,
      },
    ];
  });
  return lineChart({
    title: 'Blocking against queued: p50 latency against offered load (coarse search)',
    x: { label: 'offered orders/s' },
    y: { label: 'p50 latency (ms, log scale)', log: true },
    series,
  });
}

function throughputVsLoad(results: BenchResults): Promise<string> {
  const searches = coarseTrials(results);
  const top = Math.max(0, ...searches.flatMap((s) => s.trials.map((t) => t.offeredPerSecond)));
  return lineChart({
    title: 'Confirmed orders/s against offered load (coarse search)',
    x: { label: 'offered orders/s', min: 0 },
    y: { label: 'confirmed orders/s (arrival window)', min: 0 },
    series: [
      {
        label: 'offered',
        points: [
          [0, 0],
          [top, top],
        ],
        color: '#999',
        dashed: true,
      },
      ...searches.map(({ mode, trials }, i) => ({
        label: mode,
        points: trials.map((t): Point => [t.offeredPerSecond, t.path.confirmedPerSecond]),
        color: PALETTE[i + 2] ?? '#000',
      })),
    ],
  });
}

function cpuChart(results: BenchResults): Promise<string> {
  const rows = results.fixedRate.setups.flatMap((setup) =>
    Object.entries(setup.perCheckout)
      .filter(([name]) => name !== 'load generator' && name !== 'trace sink')
      .map(([part, value]) => ({ bar: `${setup.mode}, tracing ${setup.setup}`, part, value })),
  );
  return stackedBarChart(
    `CPU-ms per confirmed checkout at ${String(results.fixedRate.ratePerSecond)}/s, by process (medians)`,
    `CPU-ms per checkout (${COUNTED_ROLES.join(', ')})`,
    rows,
  );
}

function relayChart(results: BenchResults): Promise<string> {
  const { relays, windows, windowMs } = results.relays;
  return lineChart({
    title: 'Two orders replicas: events each relay published per window',
    x: { label: 'seconds since the load started', min: 0 },
    y: { label: 'events per second', min: 0 },
    series: relays.map((relay, i) => ({
      label: `relay ${String(i + 1)} (${relay.appId.split('/').at(-1) ?? ''})`,
      points: windows.map((w, k): Point => [
        ((k + 0.5) * windowMs) / 1000,
        ((w[relay.appId] ?? 0) * 1000) / windowMs,
      ]),
      color: PALETTE[i] ?? '#000',
    })),
  });
}

function machineLoadChart(results: BenchResults): Promise<string> {
  const { samples } = results.machineLoad;
  const end = samples.at(-1)?.t ?? 0;
  return lineChart({
    title: 'Machine load during the run',
    x: { label: 'seconds since the run started', min: 0 },
    y: { label: '1-minute load average', min: 0 },
    series: [
      {
        label: `CPUs (${String(results.machine.cpuCount)})`,
        points: [
          [0, results.machine.cpuCount],
          [end, results.machine.cpuCount],
        ],
        color: '#999',
        dashed: true,
      },
      {
        label: 'load average',
        points: samples.map((s): Point => [s.t, s.load]),
        color: PALETTE[0] ?? '',
      },
    ],
  });
}

function faultBand(run: FaultRun): Band[] {
  const on = run.events[0];
  const off = run.events.at(-1);
  return on && off ? [{ from: on.t / 1000, to: off.t / 1000, label: on.label }] : [];
}

function backlogChart(run: FaultRun): Promise<string> {
  const queues = [...new Set(run.depths.flatMap((d) => Object.keys(d.depths)))];
  return lineChart({
    title: `queued checkout, ${run.kind} of payment: backlog over time`,
    x: { label: 'seconds since the load started', min: 0 },
    y: { label: 'events waiting (outbox) or ready (queue)', min: 0 },
    bands: faultBand(run),
    series: queues.map((queue, i) => ({
      label: queue,
      points: run.depths.map((d): Point => [d.t / 1000, d.depths[queue] ?? 0]),
      color: PALETTE[i % PALETTE.length] ?? '#000',
    })),
  });
}

function blockingLatencyChart(run: FaultRun): Promise<string> {
  const seconds = run.seconds.filter((s) => s.sent > 0);
  return lineChart({
    title: `blocking checkout, ${run.kind} of payment: accept latency`,
    x: { label: 'seconds since the load started (by due time)', min: 0 },
    y: { label: 'p99 accept latency of the second (ms, log)', log: true },
    bands: faultBand(run),
    series: [
      {
        label: 'accept p99',
        points: seconds.map((s): Point => [s.second + 0.5, s.acceptP99]),
        color: PALETTE[1] ?? '',
      },
    ],
  });
}

function blockingFailuresChart(run: FaultRun): Promise<string> {
  const seconds = run.seconds.filter((s) => s.sent > 0);
  return lineChart({
    title: `blocking checkout, ${run.kind} of payment: orders per second`,
    x: { label: 'seconds since the load started (by due time)', min: 0 },
    y: { label: 'orders', min: 0 },
    bands: faultBand(run),
    series: [
      {
        label: 'sent',
        points: seconds.map((s): Point => [s.second + 0.5, s.sent]),
        color: '#999',
        dashed: true,
      },
      {
        label: 'failed or rejected',
        points: seconds.map((s): Point => [s.second + 0.5, s.failed]),
        color: PALETTE[1] ?? '',
      },
    ],
  });
}
