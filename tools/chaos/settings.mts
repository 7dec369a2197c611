// Where chaos runs: its own Redis database, RabbitMQ vhost and ports, apart from `npm start`
// (offset 0, db 0, vhost /) and the other end-to-end tests (offset 100, db 9, vhost junction-e2e).
// CHAOS_REDIS_URL, CHAOS_VHOST and CHAOS_PORT_OFFSET move them (two runs side by side).
import { rabbitmqUrl } from '@junction/testkit';

export const CHAOS_REDIS_URL = process.env.CHAOS_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
export const CHAOS_VHOST = process.env.CHAOS_VHOST ?? 'junction-chaos';
export const CHAOS_RABBITMQ_URL = rabbitmqUrl(CHAOS_VHOST);
export const CHAOS_PORT_OFFSET = Number(process.env.CHAOS_PORT_OFFSET ?? 400);
/** The redis-server a Redis-restart scenario starts for itself: the machine's port + the offset. */
export const OWN_REDIS_PORT = 6379 + CHAOS_PORT_OFFSET;
