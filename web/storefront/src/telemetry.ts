// The browser's traces (only when /shop/config.json says tracing is on): the page load, every
// same-origin fetch (which then carries traceparent to the API, so a checkout's trace goes on
// in the services), and the spans the app starts itself (the checkout click). Exported as
// OTLP/JSON to the storefront server's relay, which forwards them to the collector.
import { context, propagation, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

const TRACER = 'junction-storefront';

export function startTelemetry(serviceName: string): void {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: '/shop/otlp/v1/traces' }),
        // Soon after the click, so the order's waterfall finds the browser's spans.
        scheduledDelayMillis: 1_000,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // Deprecated in favour of a package of opentelemetry-browser that the workspace does not
      // have; this one is the fetch instrumentation of the installed OTel JS release.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      new FetchInstrumentation({
        // Not the exporter's own calls, nor the waterfall's polling of Jaeger: each would be a
        // trace of its own, about the storefront rather than about an order.
        ignoreUrls: [/\/shop\/otlp\//, /\/shop\/api\/traces\//, /\/shop\/config\.json$/],
      }),
    ],
  });
}

/**
 * Runs `work` inside a new span (the parent of the fetch spans `work` starts synchronously or
 * through api/client.ts), and gives it the span's trace id (undefined when tracing is off).
 */
export async function inSpan<T>(
  name: string,
  work: (traceId: string | undefined) => Promise<T>,
): Promise<T> {
  const span: Span = trace.getTracer(TRACER).startSpan(name);
  const traceId = span.isRecording() ? span.spanContext().traceId : undefined;
  try {
    return await context.with(trace.setSpan(context.active(), span), () => work(traceId));
  } catch (error) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
}
