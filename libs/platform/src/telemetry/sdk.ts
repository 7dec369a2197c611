import type * as Tracing from './tracing';

interface RunningSdk {
  shutdown(): Promise<void>;
}

let sdk: RunningSdk | undefined;

/** Tracing is on only when an OTLP endpoint is configured; otherwise nothing is loaded. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts the OpenTelemetry SDK before anything it instruments is required (services load it
 * with `import '@junction/platform/telemetry'` as their first line). With tracing off, the SDK
 * and instrumentations are never even loaded.
 */
export function startTelemetry(): void {
  if (sdk || !tracingEnabled()) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const { createSdk } = require('./tracing') as typeof Tracing;
  const created = createSdk();
  created.start();
  sdk = created;
}

/** Flushes and stops the SDK; the last step of a graceful shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
