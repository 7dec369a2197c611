import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Redis } from 'ioredis';
import { PlatformConfig } from '../config/env';
import { ErrorFilter } from '../errors/error.filter';
import { HealthController } from '../health/health.controller';
import { observeRedis } from '../health/observe-redis';
import { ObservedDependencies } from '../health/observed-dependencies';
import { Readiness } from '../health/readiness';
import { AppLogger } from '../logging/app-logger';
import { OpenApiController } from '../openapi/openapi.controller';
import { Clock, SystemClock } from '../ports/clock';
import { IdGenerator, RandomIdGenerator } from '../ports/id-generator';
import { redisProvider } from '../redis/redis.provider';
import { ServiceIdentity } from './service-identity';

export interface PlatformModuleOptions {
  readonly identity: ServiceIdentity;
  /** The service's config class (token) and its loaded instance. */
  readonly configClass: abstract new (...args: never[]) => PlatformConfig;
  readonly config: PlatformConfig;
  readonly logger: AppLogger;
  readonly readiness: Readiness;
  readonly observed: ObservedDependencies;
  readonly extraProviders?: readonly Provider[];
}

/** Closes the Redis connection after HTTP and gRPC have stopped and consumers have drained. */
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => {
      this.redis.disconnect();
    });
  }
}

/** Reports the Redis connection's events as the `redis` dependency on `/statusz`. */
class RedisObserver {
  constructor(
    @Inject(Redis) redis: Redis,
    @Inject(ObservedDependencies) observed: ObservedDependencies,
  ) {
    observeRedis(redis, observed);
  }
}

/**
 * What every service gets without asking: its config, logger, Redis, readiness registry,
 * the registry of observed dependencies, the Clock and IdGenerator ports, health and status
 * routes and the error mapping. Global, so service modules just inject these.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformModuleOptions): DynamicModule {
    const values: Provider[] = [
      { provide: ServiceIdentity, useValue: options.identity },
      { provide: PlatformConfig, useValue: options.config },
      { provide: options.configClass, useValue: options.config },
      { provide: AppLogger, useValue: options.logger },
      { provide: Readiness, useValue: options.readiness },
      { provide: ObservedDependencies, useValue: options.observed },
      { provide: Clock, useValue: new SystemClock() },
      { provide: IdGenerator, useValue: new RandomIdGenerator() },
      ...(options.extraProviders ?? []),
    ];
    return {
      module: PlatformModule,
      controllers: [HealthController, OpenApiController],
      providers: [
        ...values,
        redisProvider,
        RedisCloser,
        RedisObserver,
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
      exports: values.map((p) => ('provide' in p ? p.provide : p)).concat([Redis]),
    };
  }
}
