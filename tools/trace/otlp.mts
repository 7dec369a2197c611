// OTLP/JSON trace data (what an OTLP/HTTP exporter sends with http/json, and what Jaeger's
// api/v3 answers inside {"result": ...}) turned into plain spans. Node builtins only.

/** The OTLP/JSON shapes this reads (protojson: ids in hex, 64-bit numbers often as strings). */
export interface OtlpAnyValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
  readonly arrayValue?: { readonly values?: readonly OtlpAnyValue[] };
}
export interface OtlpKeyValue {
  readonly key: string;
  readonly value?: OtlpAnyValue;
}
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind?: number | string;
  readonly startTimeUnixNano: string | number;
  readonly endTimeUnixNano: string | number;
  readonly attributes?: readonly OtlpKeyValue[];
  readonly events?: readonly {
    readonly name: string;
    readonly timeUnixNano: string | number;
    readonly attributes?: readonly OtlpKeyValue[];
  }[];
  readonly links?: readonly { readonly traceId: string; readonly spanId: string }[];
  readonly status?: { readonly code?: number | string; readonly message?: string };
}
export interface OtlpResourceSpans {
  readonly resource?: { readonly attributes?: readonly OtlpKeyValue[] };
  readonly scopeSpans?: readonly { readonly spans?: readonly OtlpSpan[] }[];
}
export interface TracesData {
  readonly resourceSpans?: readonly OtlpResourceSpans[];
}

export type AttributeValue = string | number | boolean | readonly AttributeValue[];
export type SpanKind = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly service: string;
  readonly name: string;
  readonly kind: SpanKind;
  /** Epoch milliseconds, microsecond precision. */
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly { readonly name: string; readonly timeMs: number }[];
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  readonly error: boolean;
}

const KINDS: readonly SpanKind[] = [
  'INTERNAL',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];

/** Every span in the data, with its service (the resource's service.name). */
export function spansOf(data: TracesData): Span[] {
  const spans: Span[] = [];
  for (const resourceSpans of data.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : '?';
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) spans.push(toSpan(span, service));
    }
  }
  return spans;
}

/** Only the resource spans of one trace (keeps the OTLP shape, e.g. to save as a fixture). */
export function onlyTrace(data: TracesData, traceId: string): TracesData {
  return {
    resourceSpans: (data.resourceSpans ?? [])
      .map((resourceSpans) => ({
        ...resourceSpans,
        scopeSpans: (resourceSpans.scopeSpans ?? [])
          .map((scope) => ({
            ...scope,
            spans: (scope.spans ?? []).filter((span) => span.traceId === traceId),
          }))
          .filter((scope) => scope.spans.length > 0),
      }))
      .filter((resourceSpans) => resourceSpans.scopeSpans.length > 0),
  };
}

/** Several OTLP payloads as one. */
export function mergeTracesData(parts: readonly TracesData[]): TracesData {
  return { resourceSpans: parts.flatMap((part) => part.resourceSpans ?? []) };
}

/**
 * A Jaeger api/v3 answer: `{"result": TracesData}`, possibly several such objects one after the
 * other (the API is a stream; today's Jaeger sends one).
 */
export function parseJaegerResponse(body: string): TracesData {
  const chunks = body
    .split(/\n(?=\s*\{)/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.length > 0);
  return mergeTracesData(
    chunks.map((chunk) => (JSON.parse(chunk) as { result?: TracesData }).result ?? {}),
  );
}

export function attributesOf(
  list: readonly OtlpKeyValue[] | undefined,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) {
    const converted = value === undefined ? undefined : valueOf(value);
    if (converted !== undefined) attributes[key] = converted;
  }
  return attributes;
}

function valueOf(value: OtlpAnyValue): AttributeValue | undefined {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) {
    return (value.arrayValue.values ?? [])
      .map(valueOf)
      .filter((v): v is AttributeValue => v !== undefined);
  }
  return undefined;
}

function toSpan(span: OtlpSpan, service: string): Span {
  const startMs = nanosToMs(span.startTimeUnixNano);
  const endMs = nanosToMs(span.endTimeUnixNano);
  return {
    traceId: span.traceId.toLowerCase(),
    spanId: span.spanId.toLowerCase(),
    parentSpanId: (span.parentSpanId ?? '').toLowerCase(),
    service,
    name: span.name,
    kind: kindOf(span.kind),
    startMs,
    endMs,
    durationMs: endMs - startMs,
    attributes: attributesOf(span.attributes),
    events: (span.events ?? []).map((e) => ({ name: e.name, timeMs: nanosToMs(e.timeUnixNano) })),
    links: (span.links ?? []).map((l) => ({
      traceId: l.traceId.toLowerCase(),
      spanId: l.spanId.toLowerCase(),
    })),
    error: span.status?.code === 2 || span.status?.code === 'STATUS_CODE_ERROR',
  };
}

function kindOf(kind: number | string | undefined): SpanKind {
  if (typeof kind === 'number') return KINDS[kind] ?? 'INTERNAL';
  const name = (kind ?? '').replace(/^SPAN_KIND_/, '');
  return (KINDS as readonly string[]).includes(name) ? (name as SpanKind) : 'INTERNAL';
}

function nanosToMs(nanos: string | number): number {
  return Number(BigInt(nanos) / 1000n) / 1000;
}
