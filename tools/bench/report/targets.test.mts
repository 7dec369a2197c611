// The ratio targets' verdicts, on hand-made numbers: the report states these, so a wrong
// comparison or a missing measurement that passes would publish a false claim.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeTargets, type Measured, verdict } from './targets.mts';

function latency(p50: number, p99 = p50) {
  return { count: 100, p50, p90: p50, p99, max: p99, mean: p50 };
}

/** Only what the targets read; the rest of a run does not matter to them. */
function run(junctionRestP50: number, latencyFaultP99: number): Measured {
  const cells = (['rest', 'grpc', 'amqp'] as const).flatMap((transport) =>
    (['junction', 'floor'] as const).map((implementation) => ({
      transport,
      implementation,
      paddingBytes: 64,
      concurrency: 1,
      latency: latency(transport === 'rest' && implementation === 'junction' ? junctionRestP50 : 1),
    })),
  );
  const paths = (throughput: number) =>
    (['blocking', 'queued'] as const).map((mode) => ({ mode, throughput }));
  const fault = (kind: string, p99: number) => ({
    kind,
    mode: 'queued',
    path: { acceptLatency: latency(1, p99) },
  });
  return {
    settings: { faults: { latencyMs: 300 } },
    matrix: { cells },
    tracing: {
      sampleRatio: 0.1,
      setups: [
        { setup: 'off', paths: paths(100) },
        { setup: 'all', paths: paths(80) },
        { setup: 'sampled', paths: paths(95) },
      ],
      ratios: {
        all: { blocking: 0.8, queued: 0.8 },
        sampled: { blocking: 0.95, queued: 0.95 },
      },
    },
    checkout: { faults: [fault('none', 10), fault('latency', latencyFaultP99)] },
  } as unknown as Measured;
}

describe('bench targets', () => {
  it('passes at the limit and fails past it, saying by how much', () => {
    assert.equal(verdict('t', '', 1.5, 1.5, 'at most').passed, true);
    const over = verdict('t', '', 1.8, 1.5, 'at most');
    assert.deepEqual([over.passed, over.missedBy], [false, 0.2]);
    const under = verdict('t', '', 0.68, 0.85, 'at least');
    assert.deepEqual([under.passed, under.missedBy], [false, 0.2]);
  });

  it('fails a target whose measurement is missing', () => {
    assert.equal(verdict('t', '', Number.NaN, 1.5, 'at most').passed, false);
    assert.equal(verdict('t', '', Number.NaN, 0.85, 'at least').passed, false);
  });

  it('judges each transport, each traced setup and path, and the fault against the control', () => {
    const verdicts = judgeTargets(run(1.6, 11));
    const byName = new Map(verdicts.map((v) => [v.target, v]));
    assert.equal(verdicts.length, 8);
    assert.equal(byName.get('REST p50, 64 B serial, Junction ÷ raw floor')?.passed, false);
    assert.equal(byName.get('REST p50, 64 B serial, Junction ÷ raw floor')?.measured, 1.6);
    assert.equal(byName.get('GRPC p50, 64 B serial, Junction ÷ raw floor')?.passed, true);
    assert.equal(
      byName.get('blocking checkouts/s, tracing on (every trace exported) ÷ off')?.passed,
      false,
    );
    assert.equal(
      byName.get('queued checkouts/s, tracing on (10 % of traces sampled) ÷ off')?.passed,
      true,
    );
    const fault = byName.get('queued accept p99, +300 ms on payment ÷ no fault');
    assert.deepEqual([fault?.measured, fault?.passed], [1.1, true]);
    assert.equal(judgeTargets(run(1, 13)).at(-1)?.passed, false);
  });
});
