import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Tells the http instrumentation which route matched (Fastify's route pattern, e.g.
 * `/orders/:id`), so the server span gets `http.route` and the semconv name `POST /orders`
 * instead of a bare `POST`. There is no Fastify instrumentation in use; this is the hook the
 * http instrumentation offers frameworks (RPC metadata in the request's context).
 */
export function recordHttpRoute(route: string | undefined): void {
  const metadata = getRPCMetadata(context.active());
  if (route && metadata?.type === RPCType.HTTP) metadata.route = route;
}

/**
 * The `traceresponse` header of the request's HTTP server span (W3C Trace Context Level 2:
 * `00-<trace-id>-<span-id>-<flags>`), so a client that sent no traceparent — or a browser that
 * wants to show the trace it started — learns which trace its request is in. Undefined where no
 * span is active (telemetry off, probes).
 */
export function traceResponse(): string | undefined {
  const span = trace.getSpan(context.active())?.spanContext();
  if (!span || !isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}`;
}
