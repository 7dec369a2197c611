// The five services for the bench: the local topology (tools/local) on the bench's ports, Redis
// database and vhost, with auth's rate limits raised (the load registers and logs in users) and
// tracing on or off as asked. Payment can be killed and started again (the outage scenario), a
// second orders replica started beside the first (the relays' scale-out), and every service
// reports its CPU (from /proc) and event-loop utilisation (elu-probe.mts), or writes a CPU profile.
import { pathToFileURL } from 'node:url';
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
import { type WatchedProcess } from './run/process-cpu.mts';
import { reap } from './run/reaper.mts';

const ELU_PROBE = pathToFileURL(new URL('./run/elu-probe.mts', import.meta.url).pathname).href;
const ELU_TIMEOUT_MS = 5_000;

/** A service's event loop since it started: ms idle and ms active (performance.eventLoopUtilization). */
export interface EventLoopReading {
  readonly idle: number;
  readonly active: number;
}

/** Active ÷ (active + idle) between two readings of one process (NaN if it restarted). */
export function utilisation(before: EventLoopReading, after: EventLoopReading): number {
  const active = after.active - before.active;
  const idle = after.idle - before.idle;
  return active >= 0 && idle >= 0 && active + idle > 0
    ? Math.round((active / (active + idle)) * 1000) / 1000
    : Number.NaN;
}

const LOG_LINES_KEPT = 40;

const AUTH_ENV = {
  LOGIN_LIMIT_PER_ACCOUNT: '1000000',
  LOGIN_LIMIT_PER_IP: '1000000',
  REGISTER_LIMIT_PER_IP: '1000000',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
};
/** The wire matrix's GetItem sizes (64 B to 256 KiB): inventory's bench padding, off elsewhere. */
const INVENTORY_ENV = { REPLY_PADDING_MAX_BYTES: String(256 * 1024) };
const SERVICE_ENV: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  auth: AUTH_ENV,
  inventory: INVENTORY_ENV,
};

export interface BenchTopologyOptions {
  /** An OTLP/HTTP endpoint: every service exports its spans there (http/protobuf). */
  readonly otlpEndpoint?: string;
  /** With an endpoint: keep this share of the traces (parent-based trace-id ratio sampling). */
  readonly sampleRatio?: number;
  /** Every service writes a V8 CPU profile (--cpu-prof) into this directory when it stops. */
  readonly profileDir?: string;
}

/** The second orders replica's name in logs and readings, and its HTTP port's distance. */
export const ORDERS_REPLICA = 'orders#2';
const REPLICA_PORT_STEP = 50;

export class BenchTopology {
  private readonly running = new Map<string, RunningService>();
  private readonly logs = new Map<string, string[]>();
  private readonly options: TopologyOptions;
  private readonly drops: number[] = [];
  private readonly eluWaiters = new Map<string, (reading: EventLoopReading) => void>();

  private constructor({ otlpEndpoint, sampleRatio, profileDir }: BenchTopologyOptions) {
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
    const nodeOptions = [
      `--import=${ELU_PROBE}`,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ].join(' ');
    this.options = {
      redisUrl: BENCH_REDIS_URL,
      rabbitmqUrl: BENCH_RABBITMQ_URL,
      portOffset: BENCH_PORT_OFFSET,
      env: Object.fromEntries(
        Object.keys(SERVICES).map((name) => [
          name,
          { ...tracing, NODE_OPTIONS: nodeOptions, ...SERVICE_ENV[name] },
        ]),
      ),
      onLine: (service, line) => {
        if (line.startsWith('{"benchElu"')) {
          const reading = (JSON.parse(line) as { benchElu: EventLoopReading }).benchElu;
          this.eluWaiters.get(service)?.(reading);
          return;
        }
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

  /**
   * A second orders replica (its relay shares the outbox with the first one's), on its own HTTP
   * port; stopped with the rest.
   */
  async startOrdersReplica(): Promise<void> {
    const http = portsOf('orders', BENCH_PORT_OFFSET).http + REPLICA_PORT_STEP;
    const own = { ...this.options.env?.orders, HTTP_PORT: String(http) };
    const service = startService('orders', {
      ...this.options,
      env: { ...this.options.env, orders: own },
      onLine: (_, line) => this.options.onLine?.(ORDERS_REPLICA, line),
    });
    reap(service.process);
    this.running.set(ORDERS_REPLICA, service);
    await waitUntilReady(service);
  }

  /** The running services' processes, for their CPU time. */
  processes(): WatchedProcess[] {
    return [...this.running.entries()].flatMap(([name, service]) =>
      service.process.pid === undefined || service.process.exitCode !== null
        ? []
        : [{ name, role: 'service' as const, pid: service.process.pid }],
    );
  }

  /** Each running service's event-loop reading (asked by SIGUSR2, answered on its stdout). */
  async eventLoops(): Promise<Record<string, EventLoopReading>> {
    const entries = await Promise.all(
      this.processes().map(async ({ name }) => {
        const service = this.service(name);
        const reading = new Promise<EventLoopReading>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error(`${name} did not report its event loop`));
          }, ELU_TIMEOUT_MS);
          this.eluWaiters.set(name, (value) => {
            clearTimeout(timer);
            this.eluWaiters.delete(name);
            resolve(value);
          });
        });
        service.process.kill('SIGUSR2');
        return [name, await reading] as const;
      }),
    );
    return Object.fromEntries(entries);
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
