// Where the bench runs: its own Redis database, its own RabbitMQ vhost (created and removed with
// rabbitmqctl), and ports offset by 500, so it can run beside `npm start` and the e2e tests.
import { cpus, loadavg, totalmem } from 'node:os';
import {
  AmqpClient,
  type Infrastructure,
  rabbitmqUrl,
  redisRunId as runIdOf,
  redisVersion,
  removeInfrastructureAt,
  resetInfrastructureAt,
} from '@junction/testkit';

export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
export const BENCH_VHOST = 'junction-bench';
export const BENCH_RABBITMQ_URL = rabbitmqUrl(BENCH_VHOST, process.env.BENCH_RABBITMQ_HOST);
export const BENCH_PORT_OFFSET = 500;

const BENCH: Infrastructure = { redisUrl: BENCH_REDIS_URL, vhost: BENCH_VHOST };

/** A clean slate: an empty Redis database and a new, empty vhost. */
export function resetInfrastructure(): Promise<void> {
  return resetInfrastructureAt(BENCH);
}

export function removeInfrastructure(): Promise<void> {
  return removeInfrastructureAt(BENCH);
}

export interface Machine {
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly rabbitmq: string;
  readonly erlang: string;
  readonly redis: string;
  /** 1-minute load average when the run started: above the CPU count, something else was busy. */
  readonly loadAverageAtStart: number;
}

/** Redis's run id: a different one later means Redis restarted (and, here, lost every key). */
export function redisRunId(): Promise<string> {
  return runIdOf(BENCH_REDIS_URL);
}

export async function describeMachine(): Promise<Machine> {
  const properties = await AmqpClient.with(BENCH_RABBITMQ_URL, (amqp) =>
    Promise.resolve(amqp.serverProperties),
  );
  return {
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    rabbitmq: properties.version,
    erlang: properties.platform,
    redis: await redisVersion(BENCH_REDIS_URL),
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
