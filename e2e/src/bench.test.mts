// The bench's CI-sized run (`npm run bench -- --quick`): every part runs against the real local
// topology and writes its report. This checks only that every cell of every part produced numbers
// and that the report and its charts were written — never how fast anything was.
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
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
  });

  after(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('measures every transport matrix cell, for Junction and the raw floor, with its ratio', () => {
    const { cells, ratios, wire } = results.matrix;
    assert.equal(
      cells.length,
      3 * 2 * 3 * 2,
      'transports × implementations × sizes × concurrencies',
    );
    for (const cell of cells) {
      const what = `${cell.implementation} ${cell.transport} ${String(cell.paddingBytes)} B c${String(cell.concurrency)}`;
      assertLatency(what, cell.latency);
      assertNumbers(what, { throughput: cell.throughput });
      assert.equal(cell.errors, 0, `${what}: ${cell.firstError ?? ''}`);
      assert.ok(cell.cdf.length > 0, `${what}: no CDF`);
    }
    assert.equal(ratios.length, cells.length / 2);
    for (const ratio of ratios)
      assertNumbers(`ratio ${ratio.transport}`, { ...ratio, transport: 0 });
    assert.equal(wire.length, 3 * 2 * 3);
    for (const bytes of wire) {
      assert.ok(bytes.response > bytes.paddingBytes, `${bytes.transport} ${bytes.implementation}`);
    }
  });

  it('sweeps both checkout paths, and runs both under each payment fault, losing no order', () => {
    const { sweeps, faults } = results.checkout;
    assert.deepEqual(
      sweeps.map((sweep) => sweep.mode),
      ['blocking', 'queued'],
    );
    for (const step of sweeps.flatMap((sweep) => sweep.steps)) {
      assertLatency(
        `${step.path.mode} at ${String(step.offeredPerSecond)}/s`,
        step.path.acceptLatency,
      );
      assertLatency(`${step.path.mode} completion`, step.path.completionLatency);
      assertNumbers(step.path.mode, { confirmed: step.path.confirmedPerSecond });
    }
    assert.deepEqual(
      faults.map((run) => `${run.kind} ${run.mode}`),
      [
        'none blocking',
        'none queued',
        'latency blocking',
        'latency queued',
        'outage blocking',
        'outage queued',
      ],
    );
    for (const run of faults) {
      assert.ok(run.depths.length > 0, `${run.kind} ${run.mode}: no queue samples`);
      if (run.kind === 'none') assert.equal(run.events.length, 0, 'the control run has no fault');
      else assert.ok(run.events.length >= 2, `${run.kind} ${run.mode}: the fault never ran`);
      assert.equal(run.ledger.notTerminal, 0, `${run.kind} ${run.mode}: orders not terminal`);
    }
    assert.equal(results.checkout.ordersInRedis.pending ?? 0, 0, 'every order ends terminal');
  });

  it('compares checkout throughput with tracing off, on for every trace, and sampled', () => {
    const { setups, ratios } = results.tracing;
    assert.deepEqual(
      setups.map((setup) => setup.setup),
      ['off', 'all', 'sampled'],
    );
    for (const setup of setups) {
      for (const path of setup.paths) {
        assertNumbers(`${setup.setup} ${path.mode}`, { throughput: path.throughput });
        assertLatency(`${setup.setup} ${path.mode}`, path.latency);
      }
    }
    assertNumbers('every trace ÷ off', { ...ratios.all });
    assertNumbers('sampled ÷ off', { ...ratios.sampled });
    const exported = (name: string) => setups.find((setup) => setup.setup === name)?.exported;
    assert.equal(exported('off')?.requests, 0, 'nothing exported with tracing off');
    assert.ok((exported('all')?.requests ?? 0) > 0, 'the services exported spans');
  });

  it('judges every ratio target of the issue, and the report states each verdict', () => {
    assert.equal(
      results.targets.length,
      3 + 2 * 2 + 1,
      'transports, tracing setups × paths, fault',
    );
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const target of results.targets) {
      assertNumbers(target.target, { measured: target.measured, limit: target.limit });
      assert.ok(report.includes(`| ${target.target} `), `the report states "${target.target}"`);
    }
    assert.match(report, /## Targets[\s\S]*\| (pass|\*\*fail\*\*)/);
  });

  it('writes the report with the machine, and every chart it shows', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(report, /Node\.js.*v\d+/);
    assert.match(report, /RabbitMQ/);
    const charts = [...report.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1] ?? '');
    assert.ok(charts.length >= 10, `charts in the report: ${String(charts.length)}`);
    for (const chart of charts) {
      assert.ok(existsSync(join(out, chart)), `${chart} is missing`);
      assert.match(readFileSync(join(out, chart), 'utf8'), /^<svg [^>]*>[\s\S]*<path d="M/);
    }
  });
});
