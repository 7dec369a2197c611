// How a ratio target is judged: from rounds in which the two arms ran in a counterbalanced order
// (ABBA or BAAB, chosen at random per round, so a drift of the machine during a round hits both
// arms alike), one ratio per round, and a bootstrap 95 % interval over the rounds. A target
// passes only when its whole interval clears the bound, fails when the whole interval misses it,
// and is inconclusive when the interval straddles the bound (or there are too few rounds).
// Written here because no maintained library does a percentile bootstrap of a geometric mean
// in a few lines with a seeded generator (so a report can be recomputed from its results.json).
import { mulberry32 } from '@junction/testkit';
import { mean } from './stats.mts';

/** Fewer rounds than this cannot judge a target: its verdict is inconclusive. */
export const MIN_ROUNDS = 5;
const RESAMPLES = 10_000;

/** A seeded uniform generator on [0, 1): the same seed, the same run order. */
export const seededRandom = mulberry32;

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * The order of one round's slots: the arms in a random order, then the same in reverse (ABBA or
 * BAAB for two arms; ABCCBA for three, which counterbalances every pair of them).
 */
export function roundOrder<T>(arms: readonly T[], random: () => number): T[] {
  const first = shuffled(arms, random);
  return [...first, ...[...first].reverse()];
}

export interface Interval {
  /** The geometric mean of the rounds' ratios. */
  readonly estimate: number;
  /** The bootstrap 95 % interval of that estimate. */
  readonly low: number;
  readonly high: number;
  /** Each round's ratio, in round order. */
  readonly rounds: readonly number[];
}

/** The ratio's estimate and percentile-bootstrap 95 % interval from the rounds' ratios. */
export function bootstrapInterval(roundRatios: readonly number[], seed = 1): Interval {
  const logs = roundRatios.filter((r) => Number.isFinite(r) && r > 0).map(Math.log);
  const rounds = roundRatios.map((r) => round3(r));
  if (logs.length === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, rounds };
  const random = seededRandom(seed);
  const means = new Float64Array(RESAMPLES);
  for (let i = 0; i < RESAMPLES; i += 1) {
    let total = 0;
    for (let k = 0; k < logs.length; k += 1) total += logs[Math.floor(random() * logs.length)] ?? 0;
    means[i] = total / logs.length;
  }
  means.sort();
  const at = (q: number): number => Math.exp(means[Math.floor(q * (RESAMPLES - 1))] ?? Number.NaN);
  const estimate = Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length);
  return { estimate: round3(estimate), low: round3(at(0.025)), high: round3(at(0.975)), rounds };
}

export type Direction = 'at most' | 'at least';
export type Outcome = 'pass' | 'fail' | 'inconclusive';

/** pass: the whole interval clears the limit; fail: the whole interval misses it. */
export function judge(interval: Interval, limit: number, direction: Direction): Outcome {
  const { low, high } = interval;
  if (interval.rounds.length < MIN_ROUNDS || !Number.isFinite(low) || !Number.isFinite(high))
    return 'inconclusive';
  const clears = direction === 'at most' ? high <= limit : low >= limit;
  const misses = direction === 'at most' ? low > limit : high < limit;
  if (clears) return 'pass';
  if (misses) return 'fail';
  return 'inconclusive';
}

/** One round's ratio from its slots: the mean of arm B's values ÷ the mean of arm A's. */
export function roundRatio(b: readonly number[], a: readonly number[]): number {
  const denominator = mean(a);
  return denominator > 0 ? mean(b) / denominator : Number.NaN;
}

function round3(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}
