import type * as TracingModule from './tracing';

let tracing: TracingModule.Tracing | undefined;

/**
 * Telemetry (traces and metrics) is on only when an OTLP endpoint is configured, the general one
 * or a signal's own; otherwise nothing is loaded. OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER
 * =none switch one signal off.
 */
export function telemetryEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT ??
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT,
  );
}

/**
 * Starts the OpenTelemetry SDK before anything it instruments is required (services load it
 * with `import '@junction/platform/telemetry'` as their first line). With telemetry off, the
 * SDK and instrumentations are never even loaded (and the meters libs ask for are no-ops).
 */
export function startTelemetry(): void {
  if (tracing || !telemetryEnabled()) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when telemetry is on
  const { createTracing } = require('./tracing') as typeof TracingModule;
  const created = createTracing();
  created.start();
  tracing = created;
}

/** The settings from the service's validated config that shape its spans (after it loaded). */
export function configureTelemetry(settings: { readonly messagingSpanLinks: boolean }): void {
  tracing?.useMessagingSpanLinks(settings.messagingSpanLinks);
}

/**
 * A Fastify onRequest hook naming the HTTP server span by route (and giving the request duration
 * metric its `http.route`) and answering its trace in a `traceresponse` header, or undefined with
 * telemetry off.
 */
export function httpServerSpanHook():
  | ((
      request: { routeOptions: { url?: string } },
      reply: { raw: { setHeader(name: string, value: string): unknown } },
      done: () => void,
    ) => void)
  | undefined {
  const running = tracing;
  if (!running) return undefined;
  return (request, reply, done) => {
    running.recordHttpRoute(request.routeOptions.url);
    const header = running.traceResponse();
    if (header) reply.raw.setHeader('traceresponse', header);
    done();
  };
}

/** Flushes and stops the SDK; the last step of a graceful shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await tracing?.shutdown();
  tracing = undefined;
}
