import { diag } from '@opentelemetry/api';
import { getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/**
 * The exporting span processors the standard env asks for: OTEL_TRACES_EXPORTER (otlp, console,
 * none), OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL (http/protobuf, http/json, grpc) and OTEL_BSP_*.
 * The exporters read the endpoint, headers, timeout and compression from the env themselves.
 *
 * NodeSDK builds exactly this when it is given no span processors, but drops it as soon as one is
 * given (open-telemetry/opentelemetry-js#5299), and Junction adds one (SpanAttributesFromBaggage).
 */
export function exportingSpanProcessors(): SpanProcessor[] {
  const names = getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [];
  if (names.includes('none')) return [];
  return (names.length > 0 ? names : ['otlp']).flatMap((name): SpanProcessor[] => {
    switch (name) {
      case 'otlp':
        return [batched(otlpExporter())];
      case 'console':
        return [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })];
      default:
        diag.warn(`OTEL_TRACES_EXPORTER: unsupported exporter "${name}" (otlp, console, none)`);
        return [];
    }
  });
}

function otlpExporter(): SpanExporter {
  const protocol =
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  switch (protocol) {
    case 'grpc':
      return new OTLPGrpcTraceExporter();
    case 'http/json':
      return new OTLPJsonTraceExporter();
    case 'http/protobuf':
      return new OTLPProtoTraceExporter();
    default:
      diag.warn(`unsupported OTLP traces protocol "${protocol}"; using http/protobuf`);
      return new OTLPProtoTraceExporter();
  }
}

function batched(exporter: SpanExporter): SpanProcessor {
  return new BatchSpanProcessor({
    exporter,
    maxQueueSize: getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: getNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: getNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}
