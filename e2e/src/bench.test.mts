// The bench's CI-sized run (`npm run bench -- --quick`): every part runs against the real local
// topology and writes its report. This checks only that every cell and column of every part
// produced numbers (CPU per process, intervals, the outbox in the backlog, profiles) and that the
// report and its charts were written — never how fast anything was.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../../tools/local/topology.mts';
import { type BenchResults } from '../../tools/bench/report/results.mts';
import { type LatencySummary } from '../../tools/bench/report/stats.mts';
import { type Interval } from '../../tools/bench/report/intervals.mts';
import { type CpuCost } from '../../tools/bench/run/cpu-cost.mts';
import { OUTBOX } from '../../tools/bench/checkout/queue-depth.mts';

const SERVICES = ['auth', 'user', 'orders', 'payment', 'inventory'];
/** The services a checkout runs through (auth and user take no part once the shoppers hold tokens). */
const CHECKOUT_SERVICES = ['orders', 'payment', 'inventory'];

const run = promisify(execFile);

function assertNumbers(what: string, values: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(values)) {
    assert.ok(
      typeof value === 'number' && Number.isFinite(value),
      `${what}: ${name} is ${String(value)}`,
    );
  }
}

function assertLatency(what: string, latency: LatencySummary): void {
  assertNumbers(what, { ...latency });
  assert.ok(latency.count > 0, `${what}: no samples`);
}

function assertInterval(what: string, interval: Interval): void {
  assertNumbers(what, { estimate: interval.estimate, low: interval.low, high: interval.high });
  assert.ok(interval.low <= interval.estimate && interval.estimate <= interval.high, what);
  assert.ok(interval.rounds.length > 0, `${what}: no rounds`);
}

/** CPU-ms per checkout of every service, RabbitMQ, Redis and the load generator. */
function assertCpu(what: string, cpu: CpuCost): void {
  assertNumbers(what, { counted: cpu.countedMsPerCheckout, checkouts: cpu.checkouts });
  for (const name of [...SERVICES, 'rabbitmq', 'redis', 'load generator'])
    assertNumbers(`${what} ${name} CPU`, { [name]: cpu.perCheckout[name] });
}

describe('bench --quick', () => {
  let out: string;
  let results: BenchResults;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'junction-bench-'));
    await run(
      process.execPath,
      [join(ROOT, 'tools', 'bench', 'bench.mts'), '--quick', '--out', out],
      {
        cwd: ROOT,
        timeout: 540_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
  });

  after(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('measures every transport matrix cell, for Junction and the raw floor, with its ratio', () => {
    const { cells, ratios, wire, order } = results.matrix;
    assert.equal(
      cells.length,
      3 * 2 * 3 * 2,
      'transports × implementations × sizes × concurrencies',
    );
    for (const cell of cells) {
      const what = `${cell.implementation} ${cell.transport} ${String(cell.paddingBytes)} B c${String(cell.concurrency)}`;
      assertLatency(what, cell.latency);
      assertNumbers(what, { throughput: cell.throughput, warmupMs: cell.warmupMs });
      assert.equal(cell.errors, 0, `${what}: ${cell.firstError ?? ''}`);
      assert.ok(cell.cdf.length > 0, `${what}: no CDF`);
    }
    assert.equal(ratios.length, cells.length / 2);
    for (const ratio of ratios) {
      assertNumbers(`ratio ${ratio.transport}`, {
        p50: ratio.p50,
        p99: ratio.p99,
        throughput: ratio.throughput,
      });
      assertInterval(`ratio ${ratio.transport}`, ratio.p50Interval);
    }
    assert.equal(order.length, results.settings.matrix.rounds, "the cells' order per round");
    assert.equal(wire.length, 3 * 2 * 3);
    for (const bytes of wire) {
      assert.ok(bytes.response > bytes.paddingBytes, `${bytes.transport} ${bytes.implementation}`);
    }
  });

  it("searches both paths' sustained rate, with backlog (outbox and queues) and CPU per trial", () => {
    const { saturation } = results.checkout;
    assert.deepEqual(
      saturation.coarse.map((search) => search.mode),
      ['blocking', 'queued'],
    );
    const trials = [saturation.coarse, ...saturation.rounds].flat().flatMap((s) => s.trials);
    assert.ok(trials.length >= 4);
    for (const trial of trials) {
      const what = `${trial.path.mode} at ${String(trial.offeredPerSecond)}/s`;
      assertLatency(what, trial.path.acceptLatency);
      assertNumbers(what, {
        confirmed: trial.path.confirmedPerSecond,
        backlogSlope: trial.backlog.slopePerSecond,
        backlogPeak: trial.backlog.peak,
      });
      assertCpu(what, trial.cpu);
    }
    const depths = results.checkout.faults.flatMap((run) => run.depths);
    assert.ok(
      depths.every((d) => Number.isFinite(d.depths[OUTBOX])),
      'every backlog sample has the outbox',
    );
    for (const sustained of saturation.sustained) assert.ok(sustained.perSearch.length > 0);
    assertInterval('queued ÷ blocking', saturation.queuedOverBlocking);
  });

  it('runs both paths under each payment fault, the queued control and +latency in rounds, losing no order', () => {
    const { faults } = results.checkout;
    const kinds = new Set(faults.map((run) => `${run.kind} ${run.mode}`));
    assert.deepEqual([...kinds].sort(), [
      'latency blocking',
      'latency queued',
      'none blocking',
      'none queued',
      'outage blocking',
      'outage queued',
    ]);
    for (const run of faults) {
      assert.ok(run.depths.length > 0, `${run.kind} ${run.mode}: no queue samples`);
      if (run.kind === 'none') assert.equal(run.events.length, 0, 'the control run has no fault');
      else assert.ok(run.events.length >= 2, `${run.kind} ${run.mode}: the fault never ran`);
      assert.equal(run.ledger.notTerminal, 0, `${run.kind} ${run.mode}: orders not terminal`);
    }
    assertInterval('fault window p99', results.checkout.faultWindowP99);
    assert.equal(results.checkout.ordersInRedis.pending ?? 0, 0, 'every order ends terminal');
  });

  it('runs two relays on one outbox and tells their shares apart, none published twice', () => {
    const { relays, duplicates, published } = results.relays;
    assert.ok(published > 0, 'orders events were published');
    assert.equal(duplicates, 0);
    assert.equal(relays.length, 2, relays.map((r) => r.appId).join(', '));
    assert.equal(
      relays.reduce((sum, r) => sum + r.published, 0),
      published,
    );
  });

  it('costs a checkout in CPU per process at a fixed rate, tracing off, on and sampled', () => {
    const cost = results.fixedRate;
    assert.deepEqual([...new Set(cost.setups.map((s) => s.setup))], ['off', 'all', 'sampled']);
    for (const setup of cost.setups) {
      const what = `${setup.setup} ${setup.mode}`;
      assertNumbers(what, { counted: setup.countedMsPerCheckout });
      for (const name of [...SERVICES, 'rabbitmq', 'redis', 'load generator'])
        assertNumbers(`${what} ${name}`, { [name]: setup.perCheckout[name] });
      if (setup.setup !== 'off')
        assertNumbers(`${what} sink`, { sink: setup.perCheckout['trace sink'] });
      for (const name of SERVICES) assertNumbers(`${what} ELU`, { [name]: setup.eventLoop[name] });
    }
    for (const slot of cost.slots) assertCpu(`${slot.setup} ${slot.mode}`, slot.cpu);
    assertInterval('queued ÷ blocking CPU', cost.queuedOverBlocking);
    for (const setup of ['all', 'sampled'] as const)
      for (const mode of ['blocking', 'queued'] as const)
        assertInterval(`${setup} ${mode}`, cost.tracing[setup][mode]);
    const exported = (setup: string) =>
      cost.setups.filter((s) => s.setup === setup).map((s) => s.exportedBytesPerCheckout);
    assert.deepEqual(exported('off'), [0, 0], 'nothing exported with tracing off');
    assert.ok(
      exported('all').every((bytes) => bytes > 0),
      'the services exported spans',
    );
  });

  it('records the CPU of every process per part of the run', () => {
    const phases = results.machineLoad.phases;
    const matrix = phases.find((p) => p.phase === 'transport matrix');
    for (const name of ['inventory', 'rabbitmq', 'redis', 'load generator'])
      assert.ok((matrix?.cpuS[name] ?? 0) > 0, `${name} spent CPU in the matrix`);
  });

  it('profiles every service per path, tracing off and sampled, and names its top frames', () => {
    const { profiles } = results.profiles;
    assert.deepEqual(
      [...new Set(profiles.map((p) => `${p.mode} ${p.tracing}`))],
      ['blocking off', 'blocking sampled', 'queued off', 'queued sampled'],
    );
    for (const profile of profiles) {
      assert.ok(existsSync(join(out, profile.file)), `${profile.file} is missing`);
      assert.ok(profile.checkouts > 0, `${profile.file}: orders placed`);
      // auth and user are idle while orders are placed: no samples fall inside the load window.
      if (CHECKOUT_SERVICES.includes(profile.service))
        assert.ok(profile.top.length > 0, `${profile.mode} ${profile.service}: no frames`);
      // Off loads no SDK and no instrumentation: what telemetry code runs is libs/platform's.
      if (profile.tracing === 'off') {
        for (const { name } of profile.telemetry.by)
          assert.doesNotMatch(name, /instrumentation|sdk-trace/, `${profile.file}: ${name}`);
      }
    }
    // Sampled, orders' HTTP, gRPC and Redis calls go through the instrumentations.
    for (const mode of ['blocking', 'queued']) {
      const orders = profiles.find(
        (p) => p.mode === mode && p.tracing === 'sampled' && p.service === 'orders',
      );
      assert.ok((orders?.telemetry.ms ?? 0) > 0, `${mode}: orders' telemetry`);
      assert.ok(
        orders?.telemetry.by.some((g) => g.name.startsWith('instrumentation-')),
        `${mode}: ${JSON.stringify(orders?.telemetry.by)}`,
      );
    }
    assert.deepEqual([...new Set(profiles.map((p) => p.service))].sort(), [...SERVICES].sort());
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, /### Tracing at 10 %: telemetry's own code/);
  });

  it('judges every ratio target of the issue, and the report states each verdict', () => {
    assert.equal(results.targets.length, 11);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const target of results.targets) {
      assertNumbers(target.target, { limit: target.limit });
      assertInterval(target.target, target.interval);
      // One round in a quick run: no target can be judged.
      assert.equal(target.outcome, 'inconclusive', target.target);
      assert.ok(report.includes(`| ${target.target} `), `the report states "${target.target}"`);
    }
    assert.match(report, /## Targets[\s\S]*\| \*\*inconclusive\*\*/);
  });

  it('writes the report with the machine, and every chart it shows', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, /Node\.js.*v\d+/);
    assert.match(report, /RabbitMQ/);
    const charts = [...report.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1] ?? '');
    assert.ok(charts.length >= 10, `charts in the report: ${String(charts.length)}`);
    for (const chart of charts) {
      assert.ok(existsSync(join(out, chart)), `${chart} is missing`);
      assert.match(readFileSync(join(out, chart), 'utf8'), /^<svg [^>]*>[\s\S]*<path [^>]*d="M/);
    }
  });
});
