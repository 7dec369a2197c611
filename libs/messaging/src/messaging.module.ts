import {
  AppLogger,
  ObservedDependencies,
  PlatformConfig,
  ServiceIdentity,
} from '@junction/platform';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Redis } from 'ioredis';
import { AmqpConnection } from './connection';
import { EventConsumer } from './consumer';
import { type EventHandler } from './event-handler';
import { Inbox } from './inbox';
import { EventPublisher } from './publisher';
import { type RpcHandler } from './rpc-handler';
import { RpcServer } from './rpc-server';
import { type BrokerTopology } from './topology';

export interface MessagingOptions {
  /**
   * The whole broker topology (BROKER_TOPOLOGY of @junction/contracts, generated from
   * topology.yaml): declared on every connection before anything publishes or consumes.
   */
  readonly topology: BrokerTopology;
  /** Handler classes for the routing keys this service consumes (also list them as providers). */
  readonly consumers?: readonly Type<EventHandler>[];
  /** Methods this service answers over AMQP request-reply (also list them as providers). */
  readonly rpcHandlers?: readonly Type<RpcHandler>[];
  readonly prefetch?: number;
  /** Requests answered at once by the RPC server. */
  readonly rpcPrefetch?: number;
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  readonly maxMessageBytes?: number;
}

const OPTIONS = Symbol('MessagingOptions');

/** Starts consumers once the app is up, drains them first on shutdown, closes the connection last. */
@Injectable()
class MessagingLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly connection: AmqpConnection,
    private readonly consumer: EventConsumer,
    private readonly rpc: RpcServer,
    private readonly moduleRef: ModuleRef,
    @Inject(OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onApplicationBootstrap(): void {
    for (const type of this.options.consumers ?? []) {
      this.consumer.register(this.moduleRef.get(type, { strict: false }));
    }
    if ((this.options.consumers ?? []).length > 0) this.consumer.start();
    for (const type of this.options.rpcHandlers ?? []) {
      this.rpc.register(this.moduleRef.get(type, { strict: false }));
    }
    if ((this.options.rpcHandlers ?? []).length > 0) this.rpc.start();
    this.connection.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.consumer.stop(), this.rpc.stop()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * RabbitMQ for a service: one connection that declares the whole broker topology first, an
 * EventPublisher (confirms), an EventConsumer running the given handlers on the service's own
 * quorum queue, and an RpcServer answering the given request-reply methods on `<service>.rpc`.
 */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: OPTIONS, useValue: options },
      {
        provide: AmqpConnection,
        inject: [PlatformConfig, ServiceIdentity, AppLogger, ObservedDependencies],
        // Not a readiness check: the outbox covers a missing broker for orders, and the REST
        // and gRPC APIs of payment and inventory do not need it. It is on /statusz instead.
        useFactory: (
          config: PlatformConfig,
          identity: ServiceIdentity,
          logger: AppLogger,
          observed: ObservedDependencies,
        ) =>
          new AmqpConnection(
            config.rabbitmqUrl,
            identity.name,
            logger.child({ component: 'amqp' }),
            observed,
            options.topology,
            { confirmTimeoutMs: config.rabbitmqConfirmTimeoutMs },
          ),
      },
      {
        provide: EventPublisher,
        inject: [AmqpConnection],
        useFactory: (c: AmqpConnection) => new EventPublisher(c),
      },
      { provide: Inbox, inject: [Redis], useFactory: (redis: Redis) => new Inbox(redis) },
      {
        provide: EventConsumer,
        inject: [AmqpConnection, Inbox, ServiceIdentity, AppLogger],
        useFactory: (
          connection: AmqpConnection,
          inbox: Inbox,
          identity: ServiceIdentity,
          logger: AppLogger,
        ) =>
          new EventConsumer(
            connection,
            inbox,
            {
              service: identity.name,
              prefetch: options.prefetch ?? 16,
              maxAttempts: options.maxAttempts ?? 5,
              retryDelayMs: options.retryDelayMs ?? 1_000,
              maxMessageBytes: options.maxMessageBytes ?? 256 * 1024,
              topology: options.topology,
            },
            logger.child({ component: 'consumer' }),
          ),
      },
      {
        provide: RpcServer,
        inject: [AmqpConnection, ServiceIdentity, AppLogger],
        useFactory: (connection: AmqpConnection, identity: ServiceIdentity, logger: AppLogger) =>
          new RpcServer(
            connection,
            {
              service: identity.name,
              prefetch: options.rpcPrefetch ?? 64,
              maxMessageBytes: options.maxMessageBytes ?? 256 * 1024,
            },
            logger.child({ component: 'rpc' }),
          ),
      },
      MessagingLifecycle,
    ];
    return {
      module: MessagingModule,
      providers,
      exports: [EventPublisher, AmqpConnection, EventConsumer],
    };
  }
}
