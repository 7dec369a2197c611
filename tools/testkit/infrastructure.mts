// A Redis database and a RabbitMQ vhost that one kind of run owns on the machine's shared Redis
// and RabbitMQ — the e2e tests, the bench, chaos — emptied before the run and removed after, so
// runs of different kinds can share the machine.
import { deleteVhost, recreateVhost } from './amqp/admin.mts';
import { flushRedis } from './redis/inspection.mts';

export interface Infrastructure {
  readonly redisUrl: string;
  readonly vhost: string;
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
