// An order's trace as the waterfall draws it: the spans of Jaeger's api/v3 answer, and their
// rows, parents before children.

export interface WaterfallSpan {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
}

interface OtlpSpan {
  readonly spanId?: string;
  readonly parentSpanId?: string;
  readonly name?: string;
  readonly startTimeUnixNano?: string;
  readonly endTimeUnixNano?: string;
}

interface OtlpResourceSpans {
  readonly resource?: {
    readonly attributes?: readonly { key: string; value?: { stringValue?: string } }[];
  };
  readonly scopeSpans?: readonly { readonly spans?: readonly OtlpSpan[] }[];
}

/** Jaeger writes ids as hex; OTLP's protobuf JSON mapping as base64: either becomes hex. */
function hexId(id: string | undefined): string {
  if (id === undefined || id === '') return '';
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 16 || id.length === 32)) return id.toLowerCase();
  try {
    const bytes = atob(id);
    let hex = '';
    for (let index = 0; index < bytes.length; index += 1) {
      hex += bytes.charCodeAt(index).toString(16).padStart(2, '0');
    }
    return hex;
  } catch {
    return id;
  }
}

/** Jaeger's api/v3 answer: one or more `{"result":{"resourceSpans":[…]}}` documents. */
export function spansOf(body: string): WaterfallSpan[] {
  const spans: WaterfallSpan[] = [];
  for (const chunk of body.split(/\n(?=\s*\{)/)) {
    if (chunk.trim() === '') continue;
    const parsed = JSON.parse(chunk) as { result?: { resourceSpans?: OtlpResourceSpans[] } };
    for (const resourceSpans of parsed.result?.resourceSpans ?? []) {
      const service =
        resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value
          ?.stringValue ?? '?';
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          spans.push({
            spanId: hexId(span.spanId),
            parentSpanId: hexId(span.parentSpanId),
            name: span.name ?? '',
            service,
            startNs: BigInt(span.startTimeUnixNano ?? '0'),
            endNs: BigInt(span.endTimeUnixNano ?? span.startTimeUnixNano ?? '0'),
          });
        }
      }
    }
  }
  return spans;
}

export interface Row {
  readonly span: WaterfallSpan;
  readonly depth: number;
}

/** Parents before their children, siblings by start time. */
export function rowsOf(spans: readonly WaterfallSpan[]): Row[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, WaterfallSpan[]>();
  for (const span of spans) {
    const parent = ids.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const rows: Row[] = [];
  const visit = (parent: string, depth: number): void => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
    for (const span of list) {
      rows.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit('', 0);
  return rows;
}
