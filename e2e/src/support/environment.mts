// Where the end-to-end tests run: their own Redis database and RabbitMQ vhost (created and
// removed by the tests), and ports offset by 100 so they can run beside `npm start`.
// E2E_REDIS_URL, E2E_VHOST and E2E_PORT_OFFSET move them (the generator test runs a generated
// service's own e2e spec in a copy of the workspace with them).
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
export const VHOST = process.env.E2E_VHOST ?? 'junction-e2e';
export const RABBITMQ_URL = `amqp://guest:guest@127.0.0.1:5672/${VHOST}`;
export const PORT_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 100);

/** A Redis database and a RabbitMQ vhost that one test file owns. */
export interface Infrastructure {
  readonly redisUrl: string;
  readonly vhost: string;
}

const E2E: Infrastructure = { redisUrl: REDIS_URL, vhost: VHOST };

function rabbitmqctl(...args: string[]): void {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'pipe' });
}

/** A clean slate: an empty Redis database and a new, empty vhost (the e2e tests' own). */
export function resetInfrastructure(): Promise<void> {
  return resetInfrastructureAt(E2E);
}

export function removeInfrastructure(): Promise<void> {
  return removeInfrastructureAt(E2E);
}

/** A clean slate in `place`: its Redis database emptied, its vhost new and empty. */
export async function resetInfrastructureAt(place: Infrastructure): Promise<void> {
  const redis = new Redis(place.redisUrl);
  await redis.flushdb();
  redis.disconnect();
  try {
    rabbitmqctl('delete_vhost', place.vhost);
  } catch {
    // not there yet
  }
  rabbitmqctl('add_vhost', place.vhost);
  rabbitmqctl('set_permissions', '-p', place.vhost, 'guest', '.*', '.*', '.*');
}

/** Empties `place`'s Redis database and deletes its vhost. */
export async function removeInfrastructureAt(place: Infrastructure): Promise<void> {
  const redis = new Redis(place.redisUrl);
  await redis.flushdb();
  redis.disconnect();
  try {
    rabbitmqctl('delete_vhost', place.vhost);
  } catch {
    // already gone
  }
}
