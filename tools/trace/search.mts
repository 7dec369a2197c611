// The trace search of Jaeger's api/v3 (GET /api/v3/traces?query.…), in both spellings of its
// parameters. Jaeger 2.19 renamed them to camelCase (query.serviceName, query.startTimeMin,
// query.searchDepth, …) and keeps the older snake_case names as deprecated aliases; Jaeger up to
// 2.18 — the chart's 2.13 among them — reads only the snake_case ones (and query.num_traces
// for the depth) and ignores query.attributes. Each release ignores the names it does not know,
// so one request carries both spellings and every release reads its own. Node builtins only.

export interface TraceSearch {
  readonly service: string;
  /** Span attributes every found trace must have (Jaeger ≥ 2.19; older releases ignore it). */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly startTimeMin: Date;
  readonly startTimeMax: Date;
  /** How many traces at most. */
  readonly depth: number;
}

/** Jaeger ≥ 2.19's names, and the names releases before it read (a deprecated alias since). */
export const PARAMETERS = {
  service: { current: 'query.serviceName', older: 'query.service_name' },
  startTimeMin: { current: 'query.startTimeMin', older: 'query.start_time_min' },
  startTimeMax: { current: 'query.startTimeMax', older: 'query.start_time_max' },
  depth: { current: 'query.searchDepth', older: 'query.num_traces' },
} as const;

/** `query.attributes` is a JSON object of strings; only Jaeger ≥ 2.19 reads it. */
export const ATTRIBUTES_PARAMETER = 'query.attributes';

export type Spelling = 'current' | 'older';

/** The query string of an api/v3 trace search: by default in both spellings. */
export function traceSearchQuery(
  search: TraceSearch,
  spellings: readonly Spelling[] = ['current', 'older'],
): URLSearchParams {
  const values: Record<keyof typeof PARAMETERS, string> = {
    service: search.service,
    startTimeMin: search.startTimeMin.toISOString(),
    startTimeMax: search.startTimeMax.toISOString(),
    depth: String(search.depth),
  };
  const query = new URLSearchParams();
  for (const spelling of spellings) {
    for (const [field, names] of Object.entries(PARAMETERS)) {
      query.set(names[spelling], values[field as keyof typeof PARAMETERS]);
    }
  }
  if (search.attributes) query.set(ATTRIBUTES_PARAMETER, JSON.stringify(search.attributes));
  return query;
}

/**
 * The same search as the Jaeger UI's own HTTP API sends it (GET /api/traces): what finds
 * traces by attribute ("tags") on a Jaeger that ignores query.attributes.
 */
export function uiSearchQuery(search: TraceSearch): URLSearchParams {
  return new URLSearchParams({
    service: search.service,
    ...(search.attributes ? { tags: JSON.stringify(search.attributes) } : {}),
    start: String(search.startTimeMin.getTime() * 1000),
    end: String(search.startTimeMax.getTime() * 1000),
    limit: String(search.depth),
  });
}
