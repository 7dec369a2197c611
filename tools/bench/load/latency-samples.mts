// Latencies of the load generator's own summary, kept as a sorted list (nearest-rank
// percentiles). Written by hand because the load image (the Dockerfile's `load` stage) runs this
// folder with Node built-ins only, no node_modules, so it cannot load hdr-histogram-js; the bench
// passes its HDR-backed samples (report/stats.mts) to the same summary instead.

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Where a summary's latencies (ms) go: the load generator's list, or the bench's histogram. */
export interface LatencySamples {
  add(ms: number): void;
  summary(): LatencySummary;
}

export type SamplesFactory = () => LatencySamples;

/** Three significant decimals for ms values: enough for sub-millisecond loopback latencies. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export class SortedSamples implements LatencySamples {
  private readonly values: number[] = [];

  add(ms: number): void {
    if (Number.isFinite(ms)) this.values.push(ms);
  }

  summary(): LatencySummary {
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (q: number): number =>
      sorted.length === 0
        ? Number.NaN
        : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ??
          Number.NaN);
    const total = sorted.reduce((a, b) => a + b, 0);
    return {
      count: sorted.length,
      p50: round(at(0.5)),
      p90: round(at(0.9)),
      p99: round(at(0.99)),
      max: round(sorted.at(-1) ?? Number.NaN),
      mean: round(sorted.length === 0 ? Number.NaN : total / sorted.length),
    };
  }
}
