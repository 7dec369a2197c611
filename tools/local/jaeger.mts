// Jaeger v2 on this machine: the pinned build from tools/toolchain run with the chart's own
// config file (charts/junction-infra/files/jaeger.yaml, which the chart mounts byte for byte),
// listening on loopback. Its ${env:VAR}s get what the chart's Deployment sets, with the ports
// movable so tests can run beside a developer's `npm start`. Used by `npm start` (start.mts)
// and the e2e tests. The UI's assets are not part of a module build (they are built into the
// release image); the query API (/api/v3, and the UI's /api) is all here.
import { buildCommand } from '@junction/toolchain';
import {
  chartInfraPorts,
  chartInfraValues,
  freeLoopbackPort,
  infraConfigPath,
  ProgramNotBuiltError,
  startProgram,
} from './infra-program.mts';

export { ProgramNotBuiltError };

export interface JaegerPorts {
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
  readonly queryHttp: number;
  readonly queryGrpc: number;
  readonly health: number;
  readonly metrics: number;
}

export interface JaegerOptions {
  /** Default: the chart's ports (4317, 4318, 16686, …); a test passes freeJaegerPorts(). */
  readonly ports?: JaegerPorts;
  readonly onLine?: (line: string) => void;
}

export interface RunningJaeger {
  /** The query API's base URL: `${queryUrl}/api/v3/services`. */
  readonly queryUrl: string;
  /** OTLP/HTTP, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  readonly otlpEndpoint: string;
  /** OTLP/gRPC host:port (what the collector's exporter takes). */
  readonly otlpGrpcEndpoint: string;
  readonly ports: JaegerPorts;
  /** The config file it runs: the chart's. */
  readonly config: string;
  output(): string;
  stop(): Promise<void>;
}

export const JAEGER_CONFIG = infraConfigPath('jaeger.yaml');

/** The command that builds the pinned Jaeger, as a person types it in the repository. */
export const JAEGER_BUILD_COMMAND = buildCommand('jaeger');

/** The chart's Jaeger ports (templates/_helpers.tpl, infra.ports.jaeger). */
export function chartJaegerPorts(): JaegerPorts {
  const { otlpGrpc, otlpHttp, queryHttp, queryGrpc, health, metrics } = chartInfraPorts().jaeger;
  const ports = { otlpGrpc, otlpHttp, queryHttp, queryGrpc, health, metrics };
  for (const [name, port] of Object.entries(ports)) {
    if (typeof port !== 'number') throw new Error(`infra.ports.jaeger.${name} is not a number`);
  }
  return ports as JaegerPorts;
}

export async function freeJaegerPorts(): Promise<JaegerPorts> {
  return {
    otlpGrpc: await freeLoopbackPort(),
    otlpHttp: await freeLoopbackPort(),
    queryHttp: await freeLoopbackPort(),
    queryGrpc: await freeLoopbackPort(),
    health: await freeLoopbackPort(),
    metrics: await freeLoopbackPort(),
  };
}

/** The store's size as the chart computes it: memory limit in MiB × tracesPerMiB. */
function chartMaxTraces(): number {
  const jaeger = chartInfraValues().jaeger as {
    tracesPerMiB: number;
    resources: { limits: { memory: string } };
  };
  const memory = jaeger.resources.limits.memory;
  const mib = memory.endsWith('Gi') ? parseInt(memory, 10) * 1024 : parseInt(memory, 10);
  return mib * jaeger.tracesPerMiB;
}

/**
 * The env the chart's Deployment gives Jaeger, on loopback. A test of ours
 * (e2e/src/jaeger.test.mts) holds every ${env:VAR} of the file to this list.
 */
export function jaegerEnv(ports: JaegerPorts): Record<string, string> {
  return {
    JAEGER_LISTEN_HOST: '127.0.0.1',
    JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
    JAEGER_QUERY_HTTP_PORT: String(ports.queryHttp),
    JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
    JAEGER_HEALTH_PORT: String(ports.health),
    JAEGER_METRICS_PORT: String(ports.metrics),
    JAEGER_MAX_TRACES: String(chartMaxTraces()),
  };
}

/**
 * Starts Jaeger and resolves once its health endpoint (the chart's probe path, /status) is
 * green. Throws ProgramNotBuiltError, naming JAEGER_BUILD_COMMAND, when it is not built.
 */
export async function startJaeger(options: JaegerOptions = {}): Promise<RunningJaeger> {
  const ports = options.ports ?? chartJaegerPorts();
  const program = await startProgram({
    tool: 'jaeger',
    config: JAEGER_CONFIG,
    env: jaegerEnv(ports),
    healthUrl: `http://127.0.0.1:${String(ports.health)}/status`,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  return {
    queryUrl: `http://127.0.0.1:${String(ports.queryHttp)}`,
    otlpEndpoint: `http://127.0.0.1:${String(ports.otlpHttp)}`,
    otlpGrpcEndpoint: `127.0.0.1:${String(ports.otlpGrpc)}`,
    ports,
    config: program.config,
    output: () => program.output(),
    stop: () => program.stop(),
  };
}
