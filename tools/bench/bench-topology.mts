// The five services for the bench: the local topology (tools/local) on the bench's ports, Redis
// database and vhost, with auth's rate limits raised (the load registers and logs in users) and
// tracing on or off as asked. Payment can be killed and started again (the outage scenario).
import {
  portsOf,
  type RunningService,
  SERVICES,
  startService,
  startTopology,
  stopAll,
  type TopologyOptions,
  waitUntilReady,
} from '../local/topology.mts';
import { BENCH_PORT_OFFSET, BENCH_RABBITMQ_URL, BENCH_REDIS_URL } from './run/environment.mts';
import { reap } from './run/reaper.mts';

const LOG_LINES_KEPT = 40;

const AUTH_ENV = {
  LOGIN_LIMIT_PER_ACCOUNT: '1000000',
  LOGIN_LIMIT_PER_IP: '1000000',
  REGISTER_LIMIT_PER_IP: '1000000',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
};

export interface BenchTopologyOptions {
  /** An OTLP/HTTP endpoint: every service exports its spans there (http/protobuf). */
  readonly otlpEndpoint?: string;
  /** With an endpoint: keep this share of the traces (parent-based trace-id ratio sampling). */
  readonly sampleRatio?: number;
}

export class BenchTopology {
  private readonly running = new Map<string, RunningService>();
  private readonly logs = new Map<string, string[]>();
  private readonly options: TopologyOptions;
  private readonly drops: number[] = [];

  private constructor({ otlpEndpoint, sampleRatio }: BenchTopologyOptions) {
    const sampling: Record<string, string> =
      sampleRatio === undefined
        ? {}
        : {
            OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
            OTEL_TRACES_SAMPLER_ARG: String(sampleRatio),
          };
    const tracing: Record<string, string> = otlpEndpoint
      ? {
          OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          ...sampling,
        }
      : {};
    this.options = {
      redisUrl: BENCH_REDIS_URL,
      rabbitmqUrl: BENCH_RABBITMQ_URL,
      portOffset: BENCH_PORT_OFFSET,
      env: Object.fromEntries(
        Object.keys(SERVICES).map((name) => [
          name,
          { ...tracing, ...(name === 'auth' ? AUTH_ENV : {}) },
        ]),
      ),
      onLine: (service, line) => {
        if (line.includes('rabbitmq connection closed')) this.drops.push(Date.now());
        const lines = this.logs.get(service) ?? [];
        lines.push(line);
        if (lines.length > LOG_LINES_KEPT) lines.shift();
        this.logs.set(service, lines);
      },
    };
  }

  static async start(options: BenchTopologyOptions = {}): Promise<BenchTopology> {
    const topology = new BenchTopology(options);
    for (const service of await startTopology(topology.options)) {
      reap(service.process);
      topology.running.set(service.name, service);
    }
    return topology;
  }

  url(service: string, path = ''): string {
    return `http://127.0.0.1:${String(portsOf(service, BENCH_PORT_OFFSET).http)}${path}`;
  }

  grpcTarget(service: string): string {
    return `127.0.0.1:${String(portsOf(service, BENCH_PORT_OFFSET).grpc)}`;
  }

  /** SIGKILL: no drain, no goodbye — what a crash or an OOM kill does. */
  async kill(name: string): Promise<void> {
    const service = this.service(name);
    service.process.kill('SIGKILL');
    await service.exited;
  }

  /** Starts a killed service again; resolves once its /readyz is green. */
  async revive(name: string): Promise<void> {
    const service = startService(name, this.options);
    reap(service.process);
    this.running.set(name, service);
    await waitUntilReady(service);
  }

  /** When (ms since the epoch) a service lost its broker connection (e.g. RabbitMQ restarted). */
  get brokerConnectionDrops(): readonly number[] {
    return this.drops;
  }

  /** The last lines a service logged, for a failure message. */
  recentLogs(name: string): string[] {
    return [...(this.logs.get(name) ?? [])];
  }

  /** Graceful stop of every service; resolves with their exit codes. */
  stop(): Promise<Record<string, number | null>> {
    return stopAll([...this.running.values()]);
  }

  private service(name: string): RunningService {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service;
  }
}
