import { type Redis } from 'ioredis';
import { type DependencyStatus } from './dependency-status';
import { type ObservedDependencies } from './observed-dependencies';

/**
 * Reports a Redis connection's events into the registry: `ready` is up, a closed connection is
 * down (with the error that closed it). `/statusz` also shows ioredis's own `status` (ready,
 * connecting, reconnecting, end...). Readiness asks Redis itself; this only watches.
 */
export function observeRedis(redis: Redis, observed: ObservedDependencies): DependencyStatus {
  const status = observed.track('redis', 'redis', { live: () => ({ status: redis.status }) });
  let lastError: string | undefined;
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  redis.on('ready', () => {
    lastError = undefined;
    status.succeeded({ event: 'ready' });
  });
  redis.on('close', () => {
    status.failed(lastError ?? 'connection closed', { event: 'close' });
  });
  if (redis.status === 'ready') status.succeeded({ event: 'ready' });
  return status;
}
