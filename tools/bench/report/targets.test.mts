// The ratio targets' verdicts, on hand-made numbers: the report states these, so a wrong
// comparison or a missing measurement that passes would publish a false claim.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Interval } from './intervals.mts';
import { judgeTargets, type Measured, verdict } from './targets.mts';

const FIVE = [1, 1, 1, 1, 1];
const around = (estimate: number, spread = 0.02): Interval => ({
  estimate,
  low: estimate - spread,
  high: estimate + spread,
  rounds: FIVE,
});

/** Only what the targets read; the rest of a run does not matter to them. */
function run(queuedOverBlocking: Interval, duplicates = 0): Measured {
  const paths = ['blocking', 'queued'] as const;
  const setups = (['off', 'all', 'sampled'] as const).flatMap((setup) =>
    paths.map((mode) => ({ setup, mode, countedMsPerCheckout: 5 })),
  );
  return {
    settings: { faults: { latencyMs: 300 } },
    matrix: {
      cells: [],
      ratios: (['rest', 'grpc', 'amqp'] as const).map((transport) => ({
        transport,
        paddingBytes: 64,
        concurrency: 1,
        p50Interval: around(transport === 'rest' ? 1.29 : 1.0),
      })),
    },
    checkout: {
      saturation: {
        sustained: [
          { mode: 'blocking', median: 500 },
          { mode: 'queued', median: 300 },
        ],
        queuedOverBlocking,
      },
      faults: [],
      faultWindowP99: around(1.1),
    },
    relays: {
      relays: [
        { share: 0.52, published: 52 },
        { share: 0.48, published: 48 },
      ],
      published: 100,
      duplicates,
      busierShare: around(0.52),
    },
    fixedRate: {
      ratePerSecond: 100,
      sampleRatio: 0.1,
      setups,
      queuedOverBlocking: around(1.3, 0.1),
      tracing: {
        all: { blocking: around(1.2), queued: around(1.5) },
        sampled: { blocking: around(1.05), queued: around(1.1, 0.05) },
      },
    },
  } as unknown as Measured;
}

describe('judgeTargets', () => {
  it('judges every target of the issue from its interval', () => {
    const targets = judgeTargets(run(around(0.6)));
    assert.equal(targets.length, 11);
    const outcome = (start: string) => targets.find((t) => t.target.startsWith(start))?.outcome;
    assert.equal(outcome('queued sustained'), 'fail');
    assert.equal(outcome('CPU-ms per queued checkout ÷'), 'inconclusive');
    assert.equal(outcome('share of the outbox'), 'pass');
    assert.equal(outcome('CPU-ms per blocking checkout, tracing on (every'), 'pass');
    assert.equal(outcome('CPU-ms per queued checkout, tracing on (every'), 'fail');
    assert.equal(outcome('CPU-ms per queued checkout, tracing on (10 %'), 'inconclusive');
    assert.equal(outcome('REST p50'), 'inconclusive');
    assert.equal(outcome('GRPC p50'), 'pass');
    assert.equal(outcome('queued accept p99'), 'pass');
  });

  it('fails the relay target when any event was published twice, whatever the shares', () => {
    const relay = judgeTargets(run(around(0.9), 1)).find((t) => t.target.startsWith('share'));
    assert.ok(relay);
    assert.equal(relay.outcome, 'fail');
    assert.match(relay.basis, /1 events published twice/);
  });
});

describe('verdict', () => {
  it('says by how much the estimate misses the limit, and 0 inside it', () => {
    assert.equal(verdict('t', 'b', around(0.6), 0.8, 'at least').missedBy, 0.25);
    assert.equal(verdict('t', 'b', around(1.5), 1.25, 'at most').missedBy, 0.2);
    assert.equal(verdict('t', 'b', around(1.0), 1.25, 'at most').missedBy, 0);
  });
});
