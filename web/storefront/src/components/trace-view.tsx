// An order's trace: a small waterfall of its spans from Jaeger (through the storefront server's
// /shop/api/traces/{id}), one bar per span, indented by depth, and a link to the Jaeger UI.
// Spans reach Jaeger seconds after the request (batched exporters), so the trace is read a few
// times.
import { useEffect, useState } from 'react';
import { useConfig } from '../config.ts';

interface WaterfallSpan {
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

interface Row {
  readonly span: WaterfallSpan;
  readonly depth: number;
}

/** Parents before their children, siblings by start time. */
function rowsOf(spans: readonly WaterfallSpan[]): Row[] {
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

const POLL_DELAYS_MS = [1_000, 2_000, 3_000, 4_000, 6_000];
const MAX_DEPTH_CLASS = 10;

type TraceState =
  | { readonly state: 'waiting' }
  | { readonly state: 'spans'; readonly spans: WaterfallSpan[] }
  | { readonly state: 'none' }
  | { readonly state: 'error'; readonly message: string };

function useTrace(traceId: string, enabled: boolean): TraceState {
  const [trace, setTrace] = useState<TraceState>({ state: 'waiting' });
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (attempt: number): Promise<void> => {
      let next: TraceState;
      try {
        const response = await fetch(`/shop/api/traces/${traceId}`);
        if (response.status === 404)
          next = { state: attempt + 1 < POLL_DELAYS_MS.length ? 'waiting' : 'none' };
        else if (!response.ok)
          next = {
            state: 'error',
            message: `the trace cannot be read (${String(response.status)})`,
          };
        else next = { state: 'spans', spans: spansOf(await response.text()) };
      } catch {
        next = { state: 'error', message: 'the trace cannot be read' };
      }
      if (stopped) return;
      setTrace((previous) =>
        next.state === 'waiting' && previous.state === 'spans' ? previous : next,
      );
      const delay = POLL_DELAYS_MS[attempt + 1];
      if (delay !== undefined && next.state !== 'error') {
        timer = setTimeout(() => void poll(attempt + 1), delay);
      }
    };
    timer = setTimeout(() => void poll(0), POLL_DELAYS_MS[0]);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [traceId, enabled]);
  return trace;
}

export function TraceView({ traceId }: { readonly traceId: string }) {
  const config = useConfig();
  const trace = useTrace(traceId, config.traces);
  return (
    <section className="trace" aria-labelledby={`trace-${traceId}`}>
      <h2 id={`trace-${traceId}`}>Trace</h2>
      <p>
        Trace id <code data-testid="trace-id">{traceId}</code>
        {config.jaegerUiUrl === null ? null : (
          <>
            {' · '}
            <a href={`${config.jaegerUiUrl}/trace/${traceId}`} target="_blank" rel="noreferrer">
              Open in Jaeger
            </a>
          </>
        )}
      </p>
      {config.traces ? <Waterfall trace={trace} /> : null}
    </section>
  );
}

function Waterfall({ trace }: { readonly trace: TraceState }) {
  switch (trace.state) {
    case 'waiting':
      return <p className="muted">Waiting for the spans to reach Jaeger…</p>;
    case 'none':
      return <p className="muted">Jaeger has no spans for this trace.</p>;
    case 'error':
      return <p className="error">{trace.message}</p>;
    case 'spans':
      return <Bars spans={trace.spans} />;
  }
}

function Bars({ spans }: { readonly spans: WaterfallSpan[] }) {
  const rows = rowsOf(spans);
  const start = spans.reduce(
    (min, span) => (span.startNs < min ? span.startNs : min),
    spans[0]?.startNs ?? 0n,
  );
  const end = spans.reduce((max, span) => (span.endNs > max ? span.endNs : max), start);
  const total = Number(end - start) || 1;
  const ms = (ns: bigint): string => `${(Number(ns) / 1e6).toFixed(1)} ms`;
  return (
    <>
      <p>
        {spans.length} spans, {ms(end - start)}
      </p>
      {/* Bars are SVG geometry, not style attributes: the CSP allows no inline style. */}
      <ol className="waterfall" data-testid="waterfall">
        {rows.map(({ span, depth }) => {
          const x = (Number(span.startNs - start) / total) * 1000;
          const width = Math.max((Number(span.endNs - span.startNs) / total) * 1000, 2);
          return (
            <li key={span.spanId} className={`depth-${String(Math.min(depth, MAX_DEPTH_CLASS))}`}>
              <span className="span-label">
                <span className="span-service">{span.service}</span> {span.name}{' '}
                <span className="span-duration">{ms(span.endNs - span.startNs)}</span>
              </span>
              <svg
                className="span-bar"
                viewBox="0 0 1000 10"
                preserveAspectRatio="none"
                aria-hidden="true"
              >
                <rect
                  x={x}
                  y={0}
                  width={width}
                  height={10}
                  className={`service-${serviceClass(span.service)}`}
                />
              </svg>
            </li>
          );
        })}
      </ol>
    </>
  );
}

const SERVICES = ['junction-storefront', 'orders', 'inventory', 'payment', 'auth', 'user'];

function serviceClass(service: string): string {
  const name = SERVICES.find(
    (known) => service === known || service.endsWith(`-${known}`) || service.startsWith(known),
  );
  return name === undefined ? 'other' : name.replace('junction-', '');
}
