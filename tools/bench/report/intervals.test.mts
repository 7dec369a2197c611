// The verdict logic the report's targets rest on: the bootstrap interval, the counterbalanced
// round order, and pass / fail / inconclusive — on hand-made numbers, so a wrong comparison
// cannot publish a false claim.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootstrapInterval,
  judge,
  MIN_ROUNDS,
  roundOrder,
  roundRatio,
  seededRandom,
} from './intervals.mts';

describe('bootstrapInterval', () => {
  it('brackets the geometric mean of the rounds, and narrows as the rounds agree', () => {
    const spread = bootstrapInterval([1.0, 1.2, 1.4, 1.1, 1.3]);
    assert.ok(
      spread.low < spread.estimate && spread.estimate < spread.high,
      JSON.stringify(spread),
    );
    assert.ok(spread.low >= 1.0 && spread.high <= 1.4);
    assert.equal(
      spread.estimate,
      Math.round(
        Math.exp(
          (Math.log(1) + Math.log(1.2) + Math.log(1.4) + Math.log(1.1) + Math.log(1.3)) / 5,
        ) * 1000,
      ) / 1000,
    );
    const tight = bootstrapInterval([1.2, 1.21, 1.19, 1.2, 1.2]);
    assert.ok(tight.high - tight.low < spread.high - spread.low);
  });

  it('is the same for the same seed (a report can be recomputed)', () => {
    assert.deepEqual(bootstrapInterval([1, 2, 3, 4, 5], 7), bootstrapInterval([1, 2, 3, 4, 5], 7));
  });

  it('has no interval without a usable round', () => {
    assert.ok(Number.isNaN(bootstrapInterval([Number.NaN, 0]).estimate));
  });
});

describe('judge', () => {
  const rounds = [1, 1, 1, 1, 1];
  const interval = (low: number, high: number) => ({
    estimate: (low + high) / 2,
    low,
    high,
    rounds,
  });

  it('says inconclusive when the interval straddles the limit, whichever the direction', () => {
    assert.equal(judge(interval(1.1, 1.4), 1.25, 'at most'), 'inconclusive');
    assert.equal(judge(interval(0.7, 0.9), 0.8, 'at least'), 'inconclusive');
  });

  it('passes only when the whole interval clears the limit, fails when it misses it', () => {
    assert.equal(judge(interval(1.0, 1.2), 1.25, 'at most'), 'pass');
    assert.equal(judge(interval(1.3, 1.5), 1.25, 'at most'), 'fail');
    assert.equal(judge(interval(0.85, 0.9), 0.8, 'at least'), 'pass');
    assert.equal(judge(interval(0.3, 0.5), 0.8, 'at least'), 'fail');
  });

  it(`is inconclusive with fewer than ${String(MIN_ROUNDS)} rounds or no numbers`, () => {
    assert.equal(judge({ ...interval(1.0, 1.1), rounds: [1, 1] }, 1.25, 'at most'), 'inconclusive');
    assert.equal(judge(interval(Number.NaN, Number.NaN), 1.25, 'at most'), 'inconclusive');
  });
});

describe('roundOrder', () => {
  it('runs the arms in a random order and then reversed: every pair is counterbalanced', () => {
    const random = seededRandom(3);
    const orders = new Set<string>();
    for (let i = 0; i < 40; i += 1) {
      const order = roundOrder(['a', 'b', 'c'], random);
      assert.deepEqual(order, [...order].reverse(), 'a palindrome');
      assert.deepEqual([...order.slice(0, 3)].sort(), ['a', 'b', 'c']);
      orders.add(order.join(''));
    }
    assert.ok(orders.size > 1, 'the order varies between rounds');
  });

  it('takes a round ratio as mean of B ÷ mean of A', () => {
    assert.equal(roundRatio([3, 5], [2, 2]), 2);
    assert.ok(Number.isNaN(roundRatio([1], [])));
  });
});
