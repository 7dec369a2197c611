// Where the end-to-end tests run: their own Redis database and RabbitMQ vhost (created and
// removed by the tests), and ports offset by 100 so they can run beside `npm start`.
// E2E_REDIS_URL, E2E_VHOST and E2E_PORT_OFFSET move them (the generator test runs a generated
// service's own e2e spec in a copy of the workspace with them).
import {
  type Infrastructure,
  rabbitmqUrl,
  removeInfrastructureAt,
  resetInfrastructureAt,
} from '@junction/testkit';

export { type Infrastructure, removeInfrastructureAt, resetInfrastructureAt };

export const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
export const VHOST = process.env.E2E_VHOST ?? 'junction-e2e';
export const RABBITMQ_URL = rabbitmqUrl(VHOST);
export const PORT_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 100);

const E2E: Infrastructure = { redisUrl: REDIS_URL, vhost: VHOST };

/** Where the e2e tests run the services: their Redis database, their vhost, their ports. */
export const E2E_PLACE = {
  redisUrl: REDIS_URL,
  rabbitmqUrl: RABBITMQ_URL,
  portOffset: PORT_OFFSET,
} as const;

/** A clean slate: an empty Redis database and a new, empty vhost (the e2e tests' own). */
export function resetInfrastructure(): Promise<void> {
  return resetInfrastructureAt(E2E);
}

export function removeInfrastructure(): Promise<void> {
  return removeInfrastructureAt(E2E);
}
