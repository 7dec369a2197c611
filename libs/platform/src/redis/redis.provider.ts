import { type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PlatformConfig } from '../config/env';
import { Readiness } from '../health/readiness';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { AppLogger } from '../logging/app-logger';
import { redisWriteProbe } from './write-probe';

/**
 * The service's Redis connection, injectable as the `Redis` class. Every key it writes is
 * prefixed with the service name, so a service can only touch its own keys. Its readiness
 * check is redisWriteProbe.
 */
export const redisProvider: Provider = {
  provide: Redis,
  inject: [PlatformConfig, ServiceIdentity, Readiness, AppLogger],
  useFactory: (
    config: PlatformConfig,
    identity: ServiceIdentity,
    readiness: Readiness,
    logger: AppLogger,
  ): Redis => {
    const redis = new Redis(config.redisUrl, {
      keyPrefix: `${identity.name}:`,
      connectionName: identity.name,
      // Fail a command after a couple of reconnect attempts instead of hanging a request.
      maxRetriesPerRequest: 2,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
    redis.on('error', () => undefined);
    readiness.register({
      name: 'redis',
      check: redisWriteProbe(redis, logger.child({ component: 'redis' })),
    });
    return redis;
  },
};
