// Latency samples and their summary: percentiles from an HDR histogram (hdr-histogram-js, three
// significant digits, microsecond resolution), and a CDF sampled for the charts.
import * as hdr from 'hdr-histogram-js';
import { type LatencySamples, type LatencySummary, round } from '../load/latency-samples.mts';

export { type LatencySummary, round };

/** Points of the CDF (latency in ms at each quantile), enough to draw a smooth curve. */
export interface CdfPoint {
  readonly q: number;
  readonly ms: number;
}

const CDF_QUANTILES = [...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 0.995, 0.999, 1];

/** Microseconds per recorded unit: latencies are recorded in µs, reported in ms. */
const US_PER_MS = 1_000;
/** The longest latency a histogram tracks: an hour, far above any timeout of the bench. */
const HIGHEST_US = 3_600 * 1_000_000;

/** Latencies in milliseconds, recorded into an HDR histogram (values outside it are clamped). */
export class Samples implements LatencySamples {
  private readonly histogram = hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
  /** Samples that were no number (an order that never got its answer): not recorded. */
  private skipped = 0;

  get count(): number {
    return this.histogram.totalCount;
  }

  add(ms: number): void {
    if (!Number.isFinite(ms)) {
      this.skipped += 1;
      return;
    }
    this.histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * US_PER_MS))));
  }

  addAll(other: Samples): void {
    this.histogram.add(other.histogram);
    this.skipped += other.skipped;
  }

  /** The value below which a share `q` (0..1) of the samples fall. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    return this.histogram.getValueAtPercentile(q * 100) / US_PER_MS;
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    return {
      count: this.count,
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      max: round(empty ? Number.NaN : this.histogram.maxValue / US_PER_MS),
      mean: round(empty ? Number.NaN : this.histogram.mean / US_PER_MS),
    };
  }

  cdf(): CdfPoint[] {
    if (this.count === 0) return [];
    return CDF_QUANTILES.map((q) => ({ q, ms: round(this.quantile(q)) }));
  }
}

/** The bench's summaries: HDR histograms (load-summary's default is the load image's list). */
export const hdrSamples = (): Samples => new Samples();

/** a / b, or NaN when b is not a positive number. */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? round(a / b, 2) : Number.NaN;
}

/** The median of some numbers (NaNs left out; NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/**
 * Whether the last `count` of a warm-up's p50s agree: all numbers, the highest at most `spread` ×
 * the lowest (+ `slackMs`).
 */
export function settled(
  p50s: readonly number[],
  count: number,
  spread: number,
  slackMs = 0,
): boolean {
  const last = p50s.slice(-count);
  return (
    last.length === count &&
    last.every(Number.isFinite) &&
    Math.max(...last) <= spread * Math.min(...last) + slackMs
  );
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
