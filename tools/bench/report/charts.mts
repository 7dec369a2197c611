// The run's charts, as SVG files: latency CDF per transport (Junction solid, raw floor dashed),
// latency and confirmed orders/s against offered load per checkout path, and what each fault did
// over time (the queued path's backlog, the blocking path's latency and failures).
import { type FaultRun } from '../checkout/fault-scenarios.mts';
import { type MatrixCell } from '../matrix/matrix.mts';
import { type BenchResults } from './results.mts';
import { type Sweep } from '../checkout/saturation.mts';
import { type Band, lineChart, PALETTE, type Point, type Series } from './svg-chart.mts';
import { TRANSPORTS, type Transport } from '../matrix/transports.mts';

export type Charts = Record<string, string>;

export function charts(results: BenchResults): Charts {
  const files: Charts = {};
  for (const transport of TRANSPORTS) {
    for (const concurrency of results.settings.matrix.concurrencies) {
      files[`cdf-${transport}-c${String(concurrency)}.svg`] = cdfChart(
        results.matrix.cells,
        transport,
        concurrency,
      );
    }
  }
  files['machine-load.svg'] = machineLoadChart(results);
  for (const sweep of results.checkout.sweeps) {
    files[`load-${sweep.mode}.svg`] = latencyVsLoad(sweep);
  }
  files['load-paths.svg'] = pathsVsLoad(results.checkout.sweeps);
  files['throughput.svg'] = throughputVsLoad(results.checkout.sweeps);
  for (const run of results.checkout.faults) {
    if (run.kind === 'none') continue; // the control run: its numbers are in the report's table
    const name = `fault-${run.kind}-${run.mode}`;
    if (run.mode === 'queued') files[`${name}-backlog.svg`] = backlogChart(run);
    else {
      files[`${name}-latency.svg`] = blockingLatencyChart(run);
      files[`${name}-failures.svg`] = blockingFailuresChart(run);
    }
  }
  return files;
}

const SIZE_LABEL: Readonly<Record<number, string>> = {
  64: '64 B',
  4096: '4 KiB',
  262144: '256 KiB',
};

function sizeLabel(bytes: number): string {
  return SIZE_LABEL[bytes] ?? `${String(bytes)} B`;
}

function cdfChart(cells: readonly MatrixCell[], transport: Transport, concurrency: number): string {
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

function latencyVsLoad(sweep: Sweep): string {
  const at = (pick: (s: Sweep['steps'][number]) => number): Point[] =>
    sweep.steps.map((step) => [step.offeredPerSecond, pick(step)]);
  return lineChart({
    title: `${sweep.mode} checkout: latency against offered load (open loop)`,
    x: { label: 'offered orders/s' },
    y: { label: 'latency (ms, log scale)', log: true },
    series: [
      { label: 'accept p50', points: at((s) => s.path.acceptLatency.p50), color: PALETTE[0] ?? '' },
      { label: 'accept p99', points: at((s) => s.path.acceptLatency.p99), color: PALETTE[1] ?? '' },
      {
        label: 'completion p50',
        points: at((s) => s.path.completionLatency.p50),
        color: PALETTE[0] ?? '',
        dashed: true,
      },
      {
        label: 'completion p99',
        points: at((s) => s.path.completionLatency.p99),
        color: PALETTE[1] ?? '',
        dashed: true,
      },
    ],
  });
}

/** Both paths on one chart: what the client waits for (accept) and for the outcome (completion). */
function pathsVsLoad(sweeps: readonly Sweep[]): string {
  const series: Series[] = sweeps.flatMap((sweep, i) => {
    const color = PALETTE[i + 2] ?? '#000';
    const points = (pick: (step: Sweep['steps'][number]) => number): Point[] =>
      sweep.steps.map((step) => [step.offeredPerSecond, pick(step)]);
    return [
      { label: `${sweep.mode} accept p99`, points: points((s) => s.path.acceptLatency.p99), color },
      {
        label: `${sweep.mode} completion p99`,
        points: points((s) => s.path.completionLatency.p99),
        color,
        dashed: true,
      },
    ];
  });
  return lineChart({
    title: 'Blocking against queued: p99 latency against offered load',
    x: { label: 'offered orders/s' },
    y: { label: 'p99 latency (ms, log scale)', log: true },
    series,
  });
}

function throughputVsLoad(sweeps: readonly Sweep[]): string {
  const offered = sweeps.flatMap((s) => s.steps.map((step) => step.offeredPerSecond));
  const top = Math.max(0, ...offered);
  return lineChart({
    title: 'Confirmed orders/s against offered load',
    x: { label: 'offered orders/s', min: 0 },
    y: { label: 'confirmed orders/s (inside the window)', min: 0 },
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
      ...sweeps.map((sweep, i) => ({
        label: sweep.mode,
        points: sweep.steps.map((s): Point => [s.offeredPerSecond, s.path.confirmedPerSecond]),
        color: PALETTE[i + 2] ?? '#000',
      })),
    ],
  });
}

function machineLoadChart(results: BenchResults): string {
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

function backlogChart(run: FaultRun): string {
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

function blockingLatencyChart(run: FaultRun): string {
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

function blockingFailuresChart(run: FaultRun): string {
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
