import { SPAN_BAGGAGE, type SpanBaggageKey } from '@junction/contracts';
import {
  type Attributes,
  context,
  type Context,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { attributesOf } from './span-attributes-from-baggage';

// Which baggage keys become span attributes is a contract between services (orders sets them,
// every service's spans carry them): it lives in @junction/contracts, re-exported here for the
// platform's index.
export { SPAN_BAGGAGE, type SpanBaggageKey };

/** W3C trace context (traceparent, tracestate, baggage) as plain string headers. */
export type TraceCarrier = Record<string, string>;

/**
 * Runs `fn` with these baggage entries in its context: every span started inside it (and, through
 * the W3C `baggage` header, in every service it calls or publishes to) carries them as attributes
 * (SpanAttributesFromBaggage). The spans of this request that started before the entries were
 * known — the active span and the HTTP server span — are tagged here, once.
 * With tracing off this only runs `fn`.
 */
export function withSpanBaggage<T>(
  entries: Partial<Record<SpanBaggageKey, string>>,
  fn: () => T,
): T {
  const active = context.active();
  let baggage = propagation.getBaggage(active) ?? propagation.createBaggage();
  for (const key of Object.keys(SPAN_BAGGAGE) as SpanBaggageKey[]) {
    const value = entries[key];
    if (value !== undefined) baggage = baggage.setEntry(key, { value });
  }
  const attributes = attributesOf(baggage);
  if (attributes) tagStartedSpans(active, attributes);
  return context.with(propagation.setBaggage(active, baggage), fn);
}

/** The active span and the request's HTTP server span (the http instrumentation's RPC metadata). */
function tagStartedSpans(active: Context, attributes: Attributes): void {
  const current = trace.getSpan(active);
  current?.setAttributes(attributes);
  const server = getRPCMetadata(active)?.span;
  if (server && server !== current) server.setAttributes(attributes);
}

/**
 * The current trace context as headers, to store beside work that runs later (an outbox entry),
 * so that work continues the same trace. Empty with tracing off.
 */
export function currentTraceContext(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `fn` in the trace context stored by `currentTraceContext` (its spans join that trace). */
export function withTraceContext<T>(carrier: Readonly<TraceCarrier> | undefined, fn: () => T): T {
  if (!carrier || Object.keys(carrier).length === 0) return fn();
  return context.with(propagation.extract(ROOT_CONTEXT, carrier), fn);
}

/**
 * Runs `fn` with the baggage of incoming message headers, keeping the active span. When consumer
 * spans use links instead of parent/child (JUNCTION_MESSAGING_SPAN_LINKS), the instrumentation
 * starts the handler in a fresh context; this keeps `checkout.path` flowing to the next hop.
 */
export function withPropagatedBaggage<T>(headers: unknown, fn: () => T): T {
  if (typeof headers !== 'object' || headers === null) return fn();
  const baggage = propagation.getBaggage(propagation.extract(ROOT_CONTEXT, headers));
  if (!baggage || baggage.getAllEntries().length === 0) return fn();
  return context.with(propagation.setBaggage(context.active(), baggage), fn);
}
