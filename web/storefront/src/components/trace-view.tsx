// An order's trace: a small waterfall of its spans from Jaeger (through the storefront server's
// /shop/api/traces/{id}), one bar per span, indented by depth, and a link to the Jaeger UI.
// Spans reach Jaeger seconds after the request (batched exporters), so the trace is read a few
// times.
import { useEffect, useState } from 'react';
import { useConfig } from '../config.ts';
import { rowsOf, spansOf, type WaterfallSpan } from '../trace.ts';

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
