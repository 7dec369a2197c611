// The OpenTelemetry Collector on this machine, in front of a local Jaeger: the pinned otelcol
// build from tools/toolchain run with the chart's own config file
// (charts/junction-infra/files/otel-collector.yaml), on loopback, its ${env:VAR}s set as the
// chart's Deployment sets them except the addresses. Services → collector → Jaeger, as in the
// cluster, so the collector config the cluster runs is the one the e2e tests run.
import { buildCommand } from '@junction/toolchain';
import {
  chartInfraPorts,
  chartInfraValues,
  freeLoopbackPort,
  infraConfigPath,
  startProgram,
} from './infra-program.mts';

export interface CollectorPorts {
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
  readonly health: number;
  readonly metrics: number;
  /** The prometheus/scrape exporter's /metrics (in the metrics pipeline only when asked). */
  readonly scrape: number;
}

export interface CollectorOptions {
  /** Where it exports: Jaeger's OTLP/gRPC host:port (RunningJaeger.otlpGrpcEndpoint). */
  readonly jaegerOtlpGrpc: string;
  /** Default: the chart's ports, which are Jaeger's too: beside a local Jaeger, pass free ones. */
  readonly ports?: CollectorPorts;
  /** Serve the metrics at ports.scrape's /metrics (npm start) instead of dropping them. */
  readonly scrapeMetrics?: boolean;
  readonly onLine?: (line: string) => void;
}

export interface RunningCollector {
  /** OTLP/HTTP, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  readonly otlpEndpoint: string;
  /** Where the metrics it gets can be scraped, when started with scrapeMetrics. */
  readonly scrapeUrl?: string;
  readonly ports: CollectorPorts;
  readonly config: string;
  output(): string;
  stop(): Promise<void>;
}

export const COLLECTOR_CONFIG = infraConfigPath('otel-collector.yaml');

export const COLLECTOR_BUILD_COMMAND = buildCommand('otelcol');

/** The chart's collector ports (templates/_helpers.tpl, infra.ports.otelCollector). */
export function chartCollectorPorts(): CollectorPorts {
  const { otlpGrpc, otlpHttp, health, metrics, scrape } = chartInfraPorts().otelCollector;
  const ports = { otlpGrpc, otlpHttp, health, metrics, scrape };
  for (const [name, port] of Object.entries(ports)) {
    if (typeof port !== 'number')
      throw new Error(`infra.ports.otelCollector.${name} is not a number`);
  }
  return ports as CollectorPorts;
}

export async function freeCollectorPorts(): Promise<CollectorPorts> {
  return {
    otlpGrpc: await freeLoopbackPort(),
    otlpHttp: await freeLoopbackPort(),
    health: await freeLoopbackPort(),
    metrics: await freeLoopbackPort(),
    scrape: await freeLoopbackPort(),
  };
}

/**
 * The env the chart's Deployment gives the collector (prometheus.enabled=false), on loopback,
 * exporting traces to `jaeger`; metrics are dropped as in the chart, or with `scrapeMetrics`
 * served at the scrape port (no local Prometheus).
 */
export function collectorEnv(
  ports: CollectorPorts,
  jaegerOtlpGrpc: string,
  scrapeMetrics = false,
): Record<string, string> {
  const values = chartInfraValues().otelCollector as {
    memoryLimitMiB: number;
    memorySpikeLimitMiB: number;
  };
  return {
    OTELCOL_LISTEN_HOST: '127.0.0.1',
    OTELCOL_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    OTELCOL_OTLP_HTTP_PORT: String(ports.otlpHttp),
    OTELCOL_HEALTH_PORT: String(ports.health),
    OTELCOL_METRICS_PORT: String(ports.metrics),
    OTELCOL_SCRAPE_PORT: String(ports.scrape),
    OTELCOL_MEMORY_LIMIT_MIB: String(values.memoryLimitMiB),
    OTELCOL_MEMORY_SPIKE_LIMIT_MIB: String(values.memorySpikeLimitMiB),
    OTELCOL_JAEGER_OTLP_ENDPOINT: jaegerOtlpGrpc,
    // As the chart without its optional Prometheus (the metrics pipeline drops what it gets), or
    // served for a curl.
    OTELCOL_METRICS_EXPORTERS: scrapeMetrics ? '[prometheus/scrape]' : '[nop]',
    OTELCOL_PROMETHEUS_OTLP_ENDPOINT: 'http://127.0.0.1:9090/api/v1/otlp',
  };
}

/**
 * Starts the collector and resolves once its health_check extension (the chart's probe, GET /)
 * answers 200. Throws ProgramNotBuiltError, naming COLLECTOR_BUILD_COMMAND, when not built.
 */
export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const ports = options.ports ?? chartCollectorPorts();
  const program = await startProgram({
    tool: 'otelcol',
    config: COLLECTOR_CONFIG,
    env: collectorEnv(ports, options.jaegerOtlpGrpc, options.scrapeMetrics),
    healthUrl: `http://127.0.0.1:${String(ports.health)}/`,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  return {
    otlpEndpoint: `http://127.0.0.1:${String(ports.otlpHttp)}`,
    ...(options.scrapeMetrics
      ? { scrapeUrl: `http://127.0.0.1:${String(ports.scrape)}/metrics` }
      : {}),
    ports,
    config: program.config,
    output: () => program.output(),
    stop: () => program.stop(),
  };
}
