// What `npm start` does about traces and metrics: the cluster's pipeline on this machine. The
// services export OTLP to the chart's collector (its own config file, on the chart's ports
// 4317/4318), which sends the traces to a local Jaeger (the chart's config file too; its query
// API on the chart's 16686) and serves the metrics for scraping on the collector's scrape port
// (no Prometheus runs here). Without a built collector the services export straight to Jaeger
// and no metrics; without a built Jaeger, nothing. The banner says which, and how to fix it.
import { toolPath } from '@junction/toolchain';
import {
  chartCollectorPorts,
  COLLECTOR_BUILD_COMMAND,
  type CollectorPorts,
  type RunningCollector,
  startCollector,
} from './collector.mts';
import { freeLoopbackPort } from './infra-program.mts';
import {
  chartJaegerPorts,
  JAEGER_BUILD_COMMAND,
  type JaegerPorts,
  ProgramNotBuiltError,
  type RunningJaeger,
  startJaeger,
} from './jaeger.mts';

/** How often the services export metrics locally: soon enough for a curl after a checkout. */
export const LOCAL_METRIC_EXPORT_INTERVAL_MS = 5_000;

export interface LocalTelemetry {
  /** OTEL_* for each service ({} when nothing runs to take it). */
  readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Lines for npm start's banner. */
  readonly summary: string;
  readonly jaeger?: RunningJaeger;
  readonly collector?: RunningCollector;
}

function collectorBuilt(): boolean {
  try {
    toolPath('otelcol');
    return true;
  } catch {
    return false;
  }
}

/**
 * Jaeger's ports: its query API always on the chart's (16686, 16685). Behind the collector,
 * which owns the chart's OTLP, health and metrics ports (the same numbers: separate pods in the
 * cluster), the rest are free ones only the collector needs to know.
 */
async function localJaegerPorts(behindCollector: boolean): Promise<JaegerPorts> {
  const chart = chartJaegerPorts();
  if (!behindCollector) return chart;
  return {
    ...chart,
    otlpGrpc: await freeLoopbackPort(),
    otlpHttp: await freeLoopbackPort(),
    health: await freeLoopbackPort(),
    metrics: await freeLoopbackPort(),
  };
}

/** One line on why a program did not come up: a taken port, named, or the error's first line. */
function whyNotStarted(error: unknown, ports: JaegerPorts | CollectorPorts): string {
  const text = error instanceof Error ? error.message : String(error);
  const taken = /listen tcp [^\s"]*:(\d+): bind: address already in use/.exec(text);
  if (taken) {
    return `port ${taken[1] ?? '?'} is in use (its ports: ${Object.values(ports).join(', ')}).
  Often an earlier npm start, another Jaeger or collector, or cluster:up's port-forward.`;
  }
  return text.split('\n')[0] ?? text;
}

function jaegerLines(jaeger: RunningJaeger): string {
  return `  ${jaeger.queryUrl}   Jaeger (the chart's files/jaeger.yaml): every service's traces
      its API works: curl ${jaeger.queryUrl}/api/v3/services   (docs/tracing.md has the searches)
      the UI's pages are only in the cluster's Jaeger image, not in a build from its Go module
      npm run trace -- <orderId> draws an order's trace in the terminal`;
}

function otlpEnv(services: readonly string[], endpoint: string, metrics: boolean) {
  const otel: Record<string, string> = {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    ...(metrics
      ? { OTEL_METRIC_EXPORT_INTERVAL: String(LOCAL_METRIC_EXPORT_INTERVAL_MS) }
      : // Jaeger takes traces only (its OTLP receiver answers /v1/metrics 404).
        { OTEL_METRICS_EXPORTER: 'none' }),
  };
  return Object.fromEntries(services.map((service) => [service, otel]));
}

/**
 * Starts Jaeger and the collector for `npm start`, unless the caller exports elsewhere
 * (OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT set: topology.mts forwards it). Never fails: what is not
 * built or cannot start is left out and the summary says why and how to fix it. Both stop with
 * npm start (Ctrl-C reaches them too; otherwise the exit hook).
 */
export async function startLocalTelemetry(services: readonly string[]): Promise<LocalTelemetry> {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    const own = process.env[name];
    if (own) {
      return {
        env: {},
        summary: `  ${name === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? 'traces and metrics' : 'traces'}: to ${own} (your ${name}); no local Jaeger or collector`,
      };
    }
  }
  const withCollector = collectorBuilt();
  const jaegerPorts = await localJaegerPorts(withCollector);
  let jaeger: RunningJaeger;
  try {
    jaeger = await startJaeger({ ports: jaegerPorts });
  } catch (error) {
    const reason =
      error instanceof ProgramNotBuiltError
        ? `Jaeger is not built. Build it once (a few minutes; the Go toolchain is needed):
    ${JAEGER_BUILD_COMMAND}
  then run npm start again.`
        : `Jaeger did not start: ${whyNotStarted(error, jaegerPorts)}`;
    return { env: {}, summary: `  traces and metrics: off — ${reason}` };
  }
  let collector: RunningCollector | undefined;
  let metricsOff = `the collector is not built. Build it once (a few minutes):
    ${COLLECTOR_BUILD_COMMAND}
  then run npm start again (the services send their traces straight to Jaeger meanwhile).`;
  if (withCollector) {
    const ports = chartCollectorPorts();
    try {
      collector = await startCollector({
        jaegerOtlpGrpc: jaeger.otlpGrpcEndpoint,
        ports,
        scrapeMetrics: true,
      });
    } catch (error) {
      metricsOff = `the collector did not start: ${whyNotStarted(error, ports)}`;
    }
  }
  if (!collector?.scrapeUrl) {
    return {
      jaeger,
      env: otlpEnv(services, jaeger.otlpEndpoint, false),
      summary: `${jaegerLines(jaeger)}
  metrics: off — ${metricsOff}`,
    };
  }
  return {
    jaeger,
    collector,
    env: otlpEnv(services, collector.otlpEndpoint, true),
    summary: `${jaegerLines(jaeger)}
  ${collector.scrapeUrl}   metrics, from the chart's collector (files/otel-collector.yaml; OTLP in on ${String(collector.ports.otlpGrpc)}/${String(collector.ports.otlpHttp)})
      curl -s ${collector.scrapeUrl} | grep junction_orders   (docs/metrics.md names them all)`,
  };
}
