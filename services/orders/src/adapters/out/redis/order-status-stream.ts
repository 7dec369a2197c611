import { EventEmitter } from 'node:events';
import { AppLogger } from '@junction/platform';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type Logger } from 'pino';
import { OrderStatusFeed } from '../../../domain/ports';
import { STATUS_CHANNEL } from './order.repository';

/**
 * Status changes of orders, from any orders replica, through Redis pub/sub: one subscriber
 * connection per process, fanned out in memory to the SSE streams watching an order.
 *
 * Pub/sub forgets what is published while the subscriber is away, so each time the connection
 * is (re)established it subscribes again and tells every watcher to read its order again. A
 * message on the channel that is not a status change is logged and dropped.
 */
@Injectable()
export class OrderStatusStream
  extends OrderStatusFeed
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly emitter = new EventEmitter();
  private readonly logger: Logger;
  private subscriber: Redis | undefined;
  private connectedBefore = false;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    logger: AppLogger,
  ) {
    super();
    this.emitter.setMaxListeners(0);
    this.logger = logger.child({ component: 'order-status-stream' });
  }

  onModuleInit(): void {
    const subscriber = this.redis.duplicate({ autoResubscribe: false });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => {
      this.logger.debug({ err: error.message }, 'order status subscriber: Redis error');
    });
    subscriber.on('message', (_channel: string, message: string) => {
      const orderId = orderIdOf(message);
      if (orderId === undefined) {
        this.logger.warn(
          { length: message.length },
          'ignored a message that is not a status change',
        );
        return;
      }
      this.emitter.emit(orderId);
    });
    subscriber.on('ready', () => {
      void this.subscribe(subscriber);
    });
  }

  watch(orderId: string, listener: () => void): () => void {
    this.emitter.on(orderId, listener);
    return () => this.emitter.off(orderId, listener);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private async subscribe(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(STATUS_CHANNEL);
    } catch (error) {
      // The next 'ready' (after ioredis reconnects) tries again.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not subscribe to order status changes; retrying when Redis is back',
      );
      return;
    }
    if (this.connectedBefore) {
      this.logger.info('subscribed to order status changes again; open streams read their orders');
      for (const orderId of this.emitter.eventNames()) this.emitter.emit(orderId);
    }
    this.connectedBefore = true;
  }
}

function orderIdOf(message: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed !== 'object' || parsed === null || !('orderId' in parsed)) return undefined;
    return typeof parsed.orderId === 'string' && parsed.orderId.length > 0
      ? parsed.orderId
      : undefined;
  } catch {
    return undefined;
  }
}
