import { getStringFromEnv } from '@opentelemetry/core';
import {
  AmqplibInstrumentation,
  type AmqplibInstrumentationConfig,
} from '@opentelemetry/instrumentation-amqplib';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { recordHttpRoute, traceResponse } from './http-route';
import { onConsume, onPublish } from './messaging-spans';
import { RedisBatchInstrumentation } from './redis-batch-instrumentation';
import { redisStatement } from './redis-statement';
import { RpcCallMetrics } from './rpc-call-metrics';
import { SpanAttributesFromBaggage } from './span-attributes-from-baggage';
import { exportingSpanProcessors } from './span-export';

/** Probes (the kubelet's, the local topology's and the e2e tests' polls) and the diagnostics. */
const UNTRACED_HTTP_PATHS = new Set(['/healthz', '/readyz', '/statusz']);

/** OTLP/HTTP export paths (traces, metrics, logs), at the end of whatever base the endpoint has. */
const OTLP_EXPORT_PATH = /\/v1\/(traces|metrics|logs)$/;

/**
 * gRPC methods that are infrastructure, not work: grpc.health.v1.Health/{Check,Watch} and
 * grpc.reflection.v1(alpha).ServerReflection/ServerReflectionInfo. The instrumentation matches
 * ignore patterns against the method name only — the server passes `Check` (the last path
 * segment), generated clients pass the definition's key (`check`) — never the full path, so the
 * names are compared case-insensitively. A domain RPC must not be called Check or Watch.
 */
const UNTRACED_GRPC_METHODS = new Set(['check', 'watch', 'serverreflectioninfo']);

/**
 * JUNCTION_TRACE_ALL_CALLS=true traces the probes, health checks and reflection too: for the
 * call-graph test, which must see every call a service makes or answers, infrastructure included.
 */
const traceAllCalls = (): boolean => getStringFromEnv('JUNCTION_TRACE_ALL_CALLS') === 'true';

export interface Tracing {
  start(): void;
  shutdown(): Promise<void>;
  /** Consumer spans link to the producer span instead of being its child (a new trace per hop). */
  useMessagingSpanLinks(enabled: boolean): void;
  /** Call in a request's context with the matched route pattern (names the HTTP server span). */
  recordHttpRoute(route: string | undefined): void;
  /** Call in a request's context: its server span as a `traceresponse` header value. */
  traceResponse(): string | undefined;
}

/**
 * The SDK with the instrumentations Junction relies on. Everything else comes from the standard
 * OTEL_* env: service name and resource attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES),
 * exporter endpoint and protocol (OTEL_EXPORTER_OTLP_*), sampler (OTEL_TRACES_SAMPLER[_ARG]),
 * propagators (OTEL_PROPAGATORS; default W3C tracecontext + baggage), batching (OTEL_BSP_*).
 *
 * Metrics go next to the traces: the SDK's own reader from the env (OTEL_METRICS_EXPORTER,
 * default otlp, or none; OTEL_EXPORTER_OTLP[_METRICS]_*; OTEL_METRIC_EXPORT_INTERVAL, default
 * 60 s). With a meter provider the HTTP instrumentation records http.{server,client}.request.
 * duration; RpcCallMetrics adds the gRPC durations, libs/messaging the messaging ones.
 * Logs are not exported unless OTEL_LOGS_EXPORTER asks for it (they go to stdout with
 * trace_id/span_id).
 */
export function createTracing(): Tracing {
  const amqplibConfig: AmqplibInstrumentationConfig = {
    publishHook: onPublish,
    consumeHook: (span, info) => {
      onConsume(span, info);
    },
  };
  const amqplib = new AmqplibInstrumentation(amqplibConfig);
  const logsExported = getStringFromEnv('OTEL_LOGS_EXPORTER') !== undefined;
  const untracedHttp = traceAllCalls() ? new Set<string>() : UNTRACED_HTTP_PATHS;
  const untracedGrpc = traceAllCalls() ? new Set<string>() : UNTRACED_GRPC_METHODS;
  const sdk = new NodeSDK({
    spanProcessors: [
      new SpanAttributesFromBaggage(),
      new RpcCallMetrics(),
      ...exportingSpanProcessors(),
    ],
    ...(logsExported ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) =>
          untracedHttp.has((request.url ?? '').split('?')[0] ?? ''),
        // The SDK's own OTLP exports: no spans already (suppressed), and no client duration.
        ignoreOutgoingRequestHook: (request) => OTLP_EXPORT_PATH.test(request.path ?? ''),
      }),
      new GrpcInstrumentation({
        ignoreGrpcMethods: [(name: string) => untracedGrpc.has(name.toLowerCase())],
      }),
      amqplib,
      // requireParentSpan: background work (the outbox relay's poll, the fault settings refresh,
      // readiness PINGs) makes no root spans; commands inside a request or a message do.
      new IORedisInstrumentation({
        requireParentSpan: true,
        dbStatementSerializer: redisStatement,
      }),
      // A MULTI or a pipeline is one span with its batch size, not one per queued command; and
      // under an unsampled span, Redis makes no spans at all (not even non-recording ones).
      new RedisBatchInstrumentation({ statement: redisStatement }),
      // No NestInstrumentation: its controller and handler spans only repeat the HTTP server
      // span (same route, same duration), and it sees no gRPC or message handlers at all.
      new PinoInstrumentation({ disableLogSending: !logsExported }),
    ],
  });
  return {
    start: () => {
      sdk.start();
    },
    shutdown: () => sdk.shutdown(),
    useMessagingSpanLinks: (enabled) => {
      amqplib.setConfig({ ...amqplibConfig, useLinksForConsume: enabled });
    },
    recordHttpRoute,
    traceResponse,
  };
}
