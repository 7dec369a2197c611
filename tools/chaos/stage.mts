// The five services as processes on chaos' own database, vhost and ports, which a scenario can
// kill, stop and restart one at a time. Every line each process logs is kept.
import { Redis } from 'ioredis';
import {
  portsOf,
  type RunningService,
  SERVICES,
  startService,
  type TopologyOptions,
  waitUntilReady,
} from '../local/topology.mts';
import { CHAOS_PORT_OFFSET, CHAOS_RABBITMQ_URL } from './settings.mts';

const EXIT_TIMEOUT_MS = 20_000;

export interface StageOptions {
  readonly redisUrl: string;
  /** Extra environment per service. */
  readonly env?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export class ChaosStage {
  /** Redis without a key prefix: the books are read from every service's keyspace. */
  readonly redis: Redis;
  readonly redisUrl: string;
  readonly logs = new Map<string, string[]>();
  /** Every process that ended during the scenario, in order, with the signal it was sent. */
  readonly exits: { service: string; signal: string; signalledAt: number; code: number | null }[] =
    [];
  private readonly running = new Map<string, RunningService>();
  private readonly topology: TopologyOptions;

  /** Starts nothing yet: `startAll`, and `close` whatever happened. */
  constructor(options: StageOptions) {
    this.redisUrl = options.redisUrl;
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 5 });
    this.redis.on('error', () => undefined);
    this.topology = {
      redisUrl: options.redisUrl,
      rabbitmqUrl: CHAOS_RABBITMQ_URL,
      portOffset: CHAOS_PORT_OFFSET,
      ...(options.env ? { env: options.env } : {}),
      onLine: (service, line) => {
        this.record(service, line);
      },
    };
  }

  /** Starts all five services and waits until every one is ready. */
  async startAll(): Promise<void> {
    await Promise.all(Object.keys(SERVICES).map((name) => this.start(name)));
  }

  url(service: string, path: string): string {
    return `http://127.0.0.1:${String(portsOf(service, CHAOS_PORT_OFFSET).http)}${path}`;
  }

  /** Sends `signal` to a service and waits for the process to end; returns its exit code. */
  async signal(name: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null> {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} is not running`);
    this.running.delete(name);
    const signalledAt = Date.now();
    this.record(name, `--- chaos: ${signal} at ${new Date().toISOString()} ---`);
    service.process.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      service.exited,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          resolve('timeout');
        }, EXIT_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (code === 'timeout') {
      service.process.kill('SIGKILL');
      this.exits.push({ service: name, signal, signalledAt, code: await service.exited });
      throw new Error(`${name} did not exit within ${String(EXIT_TIMEOUT_MS)} ms of ${signal}`);
    }
    this.exits.push({ service: name, signal, signalledAt, code });
    return code;
  }

  /** Starts a service (again); resolves with how long it took to be ready, in ms. */
  async start(name: string): Promise<number> {
    const started = Date.now();
    this.record(name, `--- chaos: start at ${new Date().toISOString()} ---`);
    const service = startService(name, this.topology);
    this.running.set(name, service);
    await waitUntilReady(service, 60_000);
    return Date.now() - started;
  }

  /** SIGTERM to every running service; records their exit codes. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.keys()].map((name) => this.signal(name, 'SIGTERM')));
    this.redis.disconnect();
  }

  private record(service: string, line: string): void {
    const lines = this.logs.get(service) ?? [];
    lines.push(line);
    this.logs.set(service, lines);
    if (process.env.CHAOS_VERBOSE) console.log(`${service.padEnd(9)} | ${line}`);
  }
}
