// Where the end-to-end tests run: their own Redis database and RabbitMQ vhost (created and
// removed by the tests), and ports offset by 100 so they can run beside `npm start`.
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
export const VHOST = 'junction-e2e';
export const RABBITMQ_URL = `amqp://guest:guest@127.0.0.1:5672/${VHOST}`;
export const PORT_OFFSET = 100;

function rabbitmqctl(...args: string[]): void {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'pipe' });
}

/** A clean slate: an empty Redis database and a new, empty vhost. */
export async function resetInfrastructure(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  try {
    rabbitmqctl('delete_vhost', VHOST);
  } catch {
    // not there yet
  }
  rabbitmqctl('add_vhost', VHOST);
  rabbitmqctl('set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*');
}

export async function removeInfrastructure(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  try {
    rabbitmqctl('delete_vhost', VHOST);
  } catch {
    // already gone
  }
}
