import { type Histogram, metrics, SpanKind, ValueType } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_RPC_METHOD,
  ATTR_RPC_STATUS_CODE,
  ATTR_RPC_SYSTEM_NAME,
  METRIC_RPC_CLIENT_CALL_DURATION,
  METRIC_RPC_SERVER_CALL_DURATION,
} from '@opentelemetry/semantic-conventions';

/** The scope of the spans the gRPC instrumentation makes. */
const GRPC_SCOPE = '@opentelemetry/instrumentation-grpc';

/** gRPC's status codes by number, as the semantic conventions spell `rpc.status_code`. */
const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** The semantic conventions' advice for RPC durations, in seconds (as for HTTP). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * `rpc.server.call.duration` and `rpc.client.call.duration` (stable semantic conventions, in
 * seconds) for every gRPC call, recorded from the gRPC instrumentation's spans as they end.
 *
 * Hand-written because @opentelemetry/instrumentation-grpc (0.300.0) records spans only, no
 * metrics (its source creates no instrument), while the HTTP instrumentation records
 * `http.{server,client}.request.duration` itself. The convention asks for the metric to equal
 * the span's duration, so the span is the source. Calls the instrumentation ignores (health
 * checks, reflection) have no span and so no measurement, like the probes on HTTP.
 */
export class RpcCallMetrics implements SpanProcessor {
  private instruments: { server: Histogram; client: Histogram } | undefined;

  /** Measured when the span ends. */
  onStart(): void {
    return;
  }

  onEnd(span: ReadableSpan): void {
    if (span.instrumentationScope.name !== GRPC_SCOPE) return;
    if (span.kind !== SpanKind.SERVER && span.kind !== SpanKind.CLIENT) return;
    const histogram =
      span.kind === SpanKind.SERVER ? this.histograms().server : this.histograms().client;
    histogram.record(hrTimeToMilliseconds(span.duration) / 1000, callAttributes(span));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Created on first use: the SDK installs the meter provider after building the processors. */
  private histograms(): { server: Histogram; client: Histogram } {
    this.instruments ??= createHistograms();
    return this.instruments;
  }
}

function createHistograms(): { server: Histogram; client: Histogram } {
  const meter = metrics.getMeter('@junction/platform');
  const options = (description: string) => ({
    description,
    unit: 's',
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  return {
    server: meter.createHistogram(
      METRIC_RPC_SERVER_CALL_DURATION,
      options('Duration of incoming gRPC calls.'),
    ),
    client: meter.createHistogram(
      METRIC_RPC_CLIENT_CALL_DURATION,
      options('Duration of outgoing gRPC calls.'),
    ),
  };
}

/**
 * The convention's attributes from the instrumentation's (pre-1.0) span attributes:
 * `rpc.system.name`, `rpc.method` as `package.Service/Method`, `rpc.status_code` by name, and
 * `error.type` (the status name) when the call did not succeed.
 */
function callAttributes(span: ReadableSpan): Record<string, string> {
  const service = span.attributes['rpc.service'];
  const method = span.attributes['rpc.method'];
  const code = span.attributes['rpc.grpc.status_code'];
  const status = typeof code === 'number' ? (GRPC_STATUS_NAMES[code] ?? String(code)) : 'UNKNOWN';
  return {
    [ATTR_RPC_SYSTEM_NAME]: 'grpc',
    [ATTR_RPC_METHOD]:
      typeof service === 'string' && typeof method === 'string' ? `${service}/${method}` : '_OTHER',
    [ATTR_RPC_STATUS_CODE]: status,
    ...(status === 'OK' ? {} : { [ATTR_ERROR_TYPE]: status }),
  };
}
