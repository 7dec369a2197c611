// Latency samples and their summary: percentiles, and a CDF sampled for the charts.

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Points of the CDF (latency in ms at each quantile), enough to draw a smooth curve. */
export interface CdfPoint {
  readonly q: number;
  readonly ms: number;
}

const CDF_QUANTILES = [...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 0.995, 0.999, 1];

/** A growable list of latencies in milliseconds. */
export class Samples {
  private values = new Float64Array(1024);
  private length = 0;
  private sorted: Float64Array | undefined;

  get count(): number {
    return this.length;
  }

  add(ms: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = ms;
    this.sorted = undefined;
  }

  addAll(other: Samples): void {
    for (let i = 0; i < other.length; i += 1) this.add(other.values[i] ?? Number.NaN);
  }

  /** The value below which a share `q` (0..1) of the samples fall (nearest rank). */
  quantile(q: number): number {
    const sorted = this.sortedValues();
    if (sorted.length === 0) return Number.NaN;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank] ?? Number.NaN;
  }

  summary(): LatencySummary {
    const sorted = this.sortedValues();
    let total = 0;
    for (const value of sorted) total += value;
    return {
      count: sorted.length,
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      max: round(sorted.at(-1) ?? Number.NaN),
      mean: round(sorted.length === 0 ? Number.NaN : total / sorted.length),
    };
  }

  cdf(): CdfPoint[] {
    if (this.length === 0) return [];
    return CDF_QUANTILES.map((q) => ({ q, ms: round(this.quantile(q)) }));
  }

  private sortedValues(): Float64Array {
    this.sorted ??= this.values.slice(0, this.length).sort();
    return this.sorted;
  }
}

/** Three significant decimals for ms values: enough for sub-millisecond loopback latencies. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** a / b, or NaN when b is not a positive number. */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? round(a / b, 2) : Number.NaN;
}
