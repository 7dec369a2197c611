// OTLP/JSON metrics data (what an OTLP/HTTP metric exporter sends with http/json) turned into
// plain data points, read the way otlp.mts reads spans. Node builtins only.
import { type AttributeValue, attributesOf, type OtlpKeyValue } from './otlp.mts';

/** The OTLP/JSON shapes this reads (protojson: 64-bit numbers often as strings). */
interface OtlpNumberPoint {
  readonly attributes?: readonly OtlpKeyValue[];
  readonly asInt?: string | number;
  readonly asDouble?: number;
  readonly timeUnixNano?: string | number;
}
interface OtlpHistogramPoint {
  readonly attributes?: readonly OtlpKeyValue[];
  readonly count?: string | number;
  readonly sum?: number;
  readonly bucketCounts?: readonly (string | number)[];
  readonly explicitBounds?: readonly number[];
  readonly timeUnixNano?: string | number;
}
export interface OtlpMetric {
  readonly name: string;
  readonly unit?: string;
  readonly description?: string;
  readonly sum?: { readonly dataPoints?: readonly OtlpNumberPoint[] };
  readonly gauge?: { readonly dataPoints?: readonly OtlpNumberPoint[] };
  readonly histogram?: { readonly dataPoints?: readonly OtlpHistogramPoint[] };
}
export interface MetricsData {
  readonly resourceMetrics?: readonly {
    readonly resource?: { readonly attributes?: readonly OtlpKeyValue[] };
    readonly scopeMetrics?: readonly {
      readonly scope?: { readonly name?: string };
      readonly metrics?: readonly OtlpMetric[];
    }[];
  }[];
}

export type MetricKind = 'sum' | 'gauge' | 'histogram';

/** One data point with what it belongs to. Counts and sums as numbers. */
export interface MetricPoint {
  /** The resource's service.name. */
  readonly service: string;
  readonly resource: Readonly<Record<string, AttributeValue>>;
  /** The instrumentation scope (meter) name. */
  readonly scope: string;
  readonly name: string;
  readonly unit: string;
  readonly kind: MetricKind;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** A sum's or a gauge's value; a histogram's count. */
  readonly value: number;
  /** A histogram's sum of the recorded values. */
  readonly sum?: number;
  readonly timeMs: number;
}

/** Every data point in the data, in the order received. */
export function metricPointsOf(data: MetricsData): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const resourceMetrics of data.resourceMetrics ?? []) {
    const resource = attributesOf(resourceMetrics.resource?.attributes);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : '?';
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const scope = scopeMetrics.scope?.name ?? '';
      for (const metric of scopeMetrics.metrics ?? []) {
        const base = { service, resource, scope, name: metric.name, unit: metric.unit ?? '' };
        points.push(...pointsOf(metric).map((point) => ({ ...base, ...point })));
      }
    }
  }
  return points;
}

type PointFields = Pick<MetricPoint, 'kind' | 'attributes' | 'value' | 'sum' | 'timeMs'>;

function pointsOf(metric: OtlpMetric): PointFields[] {
  if (metric.histogram) {
    return (metric.histogram.dataPoints ?? []).map((point) => ({
      kind: 'histogram',
      attributes: attributesOf(point.attributes),
      value: Number(point.count ?? 0),
      sum: point.sum ?? 0,
      timeMs: nanosToMs(point.timeUnixNano),
    }));
  }
  const [kind, numbers] = metric.sum
    ? (['sum', metric.sum] as const)
    : (['gauge', metric.gauge] as const);
  return (numbers?.dataPoints ?? []).map((point) => ({
    kind,
    attributes: attributesOf(point.attributes),
    value: Number(point.asInt ?? point.asDouble ?? 0),
    timeMs: nanosToMs(point.timeUnixNano),
  }));
}

/**
 * The newest point of each series (service, metric, attributes): with cumulative temporality
 * (the SDK's default) that is the total so far.
 */
export function latestPoints(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const point of points) {
    const key = JSON.stringify([point.service, point.name, sortedEntries(point.attributes)]);
    const seen = latest.get(key);
    if (!seen || seen.timeMs <= point.timeMs) latest.set(key, point);
  }
  return [...latest.values()];
}

function sortedEntries(attributes: Readonly<Record<string, AttributeValue>>): unknown[] {
  return Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
}

function nanosToMs(nanos: string | number | undefined): number {
  return nanos === undefined ? 0 : Number(BigInt(nanos) / 1000n) / 1000;
}
