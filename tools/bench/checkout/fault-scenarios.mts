// Checkout under a fault of payment, one path at a time, at a rate both paths handle when
// healthy: none (the control run the others are compared with), +300 ms on every payment
// operation (set at runtime through `npm run fault`), or payment killed (SIGKILL) and started
// again 10 s later. Records what each second looked like,
// the saga's queue depths, how long the backlog took to drain, and that no order was lost.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { REPO_ROOT as ROOT } from '@junction/topology';
import { type BenchTopology } from '../bench-topology.mts';
import { type CheckoutContext, planFor } from './checkout-context.mts';
import { awaitHealthy, awaitSettled } from './drain.mts';
import { type PathSummary, type Second, secondsOf, summarize } from '../load/load-summary.mts';
import { type CheckoutMode, isAccepted, type Placement } from '../load/open-loop.mts';
import { type LedgerCount } from './order-ledger.mts';
import { type DepthSample, peakDepth, totalDepth } from './queue-depth.mts';
import { type FaultSettings } from '../run/settings.mts';
import { hdrSamples, type LatencySummary, Samples } from '../report/stats.mts';

const run = promisify(execFile);

export const FAULT_KINDS = ['none', 'latency', 'outage'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultEvent {
  readonly label: string;
  /** ms after the load started. */
  readonly t: number;
}

export interface FaultRun {
  readonly kind: FaultKind;
  readonly mode: CheckoutMode;
  readonly offeredPerSecond: number;
  /** How long the previous run's effects took to clear (until a blocking checkout confirmed). */
  readonly healthyAfterMs: number;
  /** The fault's start, its repair, and (outage) when payment was ready again; none: empty. */
  readonly events: FaultEvent[];
  readonly path: PathSummary;
  /** Accept latency of the orders due while the fault was on (the same stretch in the control). */
  readonly windowAcceptLatency: LatencySummary;
  /** Due time of the last order that was not accepted or not confirmed (null: none failed). */
  readonly lastFailureMs: number | null;
  readonly seconds: Second[];
  readonly depths: DepthSample[];
  readonly peakBacklog: number;
  /** From the repair (fault cleared, payment restarting) until the saga's queues were back at
   * their pre-fault depth. */
  readonly backlogDrainedMs: number | null;
  /** From the last arrival until every accepted order was terminal and the queues empty. */
  readonly settleMs: number;
  readonly settled: boolean;
  readonly ledger: LedgerCount;
}

type Mark = (label: string) => void;

interface Fault {
  apply(mark: Mark): Promise<void>;
  clear(mark: Mark): Promise<void>;
}

/** `npm run fault -- payment <args>` through payment's /admin/faults on the bench's ports. */
function faultCli(topology: BenchTopology, ...args: string[]): Promise<void> {
  const cli = join(ROOT, 'tools', 'fault', 'fault.mts');
  return run(process.execPath, [cli, 'payment', ...args, '--url', topology.url('payment')]).then(
    () => undefined,
  );
}

function faultOf(kind: FaultKind, topology: BenchTopology, settings: FaultSettings): Fault {
  switch (kind) {
    case 'none':
      return { apply: () => Promise.resolve(), clear: () => Promise.resolve() };
    case 'latency':
      return {
        apply: async (mark) => {
          await faultCli(topology, '--latency', String(settings.latencyMs));
          mark(`payment +${String(settings.latencyMs)} ms`);
        },
        clear: async (mark) => {
          await faultCli(topology, '--clear');
          mark('payment healthy');
        },
      };
    case 'outage':
      return {
        apply: async (mark) => {
          await topology.kill('payment');
          mark('payment killed');
        },
        clear: async (mark) => {
          mark('payment restarting');
          await topology.revive('payment');
          mark('payment ready');
        },
      };
  }
}

export async function faultRun(
  context: CheckoutContext,
  topology: BenchTopology,
  kind: FaultKind,
  mode: CheckoutMode,
  rate: number,
  settings: FaultSettings,
): Promise<FaultRun> {
  const healthyAfterMs = await awaitHealthy(context, settings.drainTimeoutMs);
  const events: FaultEvent[] = [];
  const zero = Date.now();
  context.sampler.start(zero, settings.sampleEveryMs);
  const timeline = schedule(faultOf(kind, topology, settings), settings, zero, events);
  const load = await context.load.run(planFor(mode, rate, settings.durationMs));
  await timeline;
  const ids = load.placements.flatMap((p) => (p.orderId === undefined ? [] : [p.orderId]));
  const settled = await awaitSettled(context.ledger, context.sampler, ids, settings.drainTimeoutMs);
  const depths = await context.sampler.finish();
  const path = summarize(load, hdrSamples).paths[0];
  if (!path) throw new Error('the run placed no orders');
  const result: FaultRun = {
    kind,
    mode,
    offeredPerSecond: rate,
    healthyAfterMs,
    events,
    path,
    windowAcceptLatency: acceptLatencyBetween(
      load.placements,
      settings.faultFromMs,
      settings.faultUntilMs,
    ),
    lastFailureMs: lastFailure(load.placements),
    seconds: secondsOf(load, hdrSamples),
    depths,
    peakBacklog: peakDepth(depths),
    backlogDrainedMs: backlogDrained(depths, settings.faultFromMs, repairOf(events)),
    settleMs: settled.ms,
    settled: settled.settled,
    ledger: settled.ledger,
  };
  context.log(describe(result));
  return result;
}

/** Applies the fault at faultFromMs and clears it at faultUntilMs, recording each step. */
async function schedule(
  fault: Fault,
  settings: FaultSettings,
  zero: number,
  events: FaultEvent[],
): Promise<void> {
  const mark: Mark = (label) => events.push({ label, t: Date.now() - zero });
  await sleep(Math.max(0, zero + settings.faultFromMs - Date.now()));
  await fault.apply(mark);
  await sleep(Math.max(0, zero + settings.faultUntilMs - Date.now()));
  await fault.clear(mark);
}

function describe(run: FaultRun): string {
  const p = run.path;
  return (
    `${run.kind.padEnd(7)} ${run.mode.padEnd(8)} ${String(run.offeredPerSecond)}/s: ` +
    `accepted ${String(p.accepted)}/${String(p.sent)}, accept p99 ${String(p.acceptLatency.p99)} ms ` +
    `(fault window ${String(run.windowAcceptLatency.p99)} ms), ` +
    `rejected ${JSON.stringify(p.rejected)}, peak backlog ${String(run.peakBacklog)}, ` +
    `drained ${String(run.backlogDrainedMs)} ms after the repair, not terminal ${String(run.ledger.notTerminal)}`
  );
}

/** Accept latency of the accepted orders due in [from, until) ms after the load started. */
export function acceptLatencyBetween(
  placements: readonly Placement[],
  from: number,
  until: number,
): LatencySummary {
  const samples = new Samples();
  for (const p of placements) {
    if (p.intendedMs >= from && p.intendedMs < until && isAccepted(p))
      samples.add((p.answeredMs ?? Number.NaN) - p.intendedMs);
  }
  return samples.summary();
}

/** When the repair began: the fault cleared, or payment being started again. */
function repairOf(events: readonly FaultEvent[]): number {
  return events[1]?.t ?? Number.POSITIVE_INFINITY;
}

function lastFailure(placements: readonly Placement[]): number | null {
  const failed = placements.filter((p) => !isAccepted(p) || p.finalStatus !== 'confirmed');
  return failed.length === 0 ? null : Math.round(Math.max(...failed.map((p) => p.intendedMs)));
}

/** ms from `clearedAt` to the first sample back at (or below) the depth seen before the fault. */
function backlogDrained(
  depths: readonly DepthSample[],
  faultFromMs: number,
  clearedAt: number,
): number | null {
  const before = Math.max(1, ...depths.filter((d) => d.t < faultFromMs).map(totalDepth));
  const back = depths.find((d) => d.t >= clearedAt && totalDepth(d) <= before);
  return back ? back.t - clearedAt : null;
}
