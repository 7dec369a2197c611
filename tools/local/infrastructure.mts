// A Redis database and a RabbitMQ vhost that one kind of run owns on the machine's shared Redis
// and RabbitMQ — the e2e tests, the bench, chaos — emptied before the run and removed after, so
// runs of different kinds can share the machine. The vhost is managed with rabbitmqctl.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const execFileAsync = promisify(execFile);

export interface Infrastructure {
  readonly redisUrl: string;
  readonly vhost: string;
}

/** rabbitmqctl, asynchronously, so a load keeps its rate while a (~1 s) call is under way. */
export async function rabbitmqctl(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await execFileAsync('rabbitmqctl', ['-q', ...args], { timeout: timeoutMs });
  return stdout;
}

/** A new, empty vhost that the default user (guest) may use entirely. */
export async function recreateVhost(vhost: string): Promise<void> {
  await deleteVhost(vhost);
  await rabbitmqctl(['add_vhost', vhost]);
  await rabbitmqctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
}

/** Deletes the vhost with everything in it; no error if it is not there. */
export async function deleteVhost(vhost: string): Promise<void> {
  await rabbitmqctl(['delete_vhost', vhost]).catch(() => undefined);
}

export async function flushRedis(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** A clean slate in `place`: its Redis database emptied, its vhost new and empty. */
export async function resetInfrastructureAt(place: Infrastructure): Promise<void> {
  await flushRedis(place.redisUrl);
  await recreateVhost(place.vhost);
}

/** Empties `place`'s Redis database and deletes its vhost. */
export async function removeInfrastructureAt(place: Infrastructure): Promise<void> {
  await flushRedis(place.redisUrl);
  await deleteVhost(place.vhost);
}
