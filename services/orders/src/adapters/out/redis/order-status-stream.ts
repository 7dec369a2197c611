import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { OrderStatusFeed } from '../../../domain/ports';
import { STATUS_CHANNEL } from './order.repository';

/**
 * Status changes of orders, from any orders replica, through Redis pub/sub: one subscriber
 * connection per process, fanned out in memory to the SSE streams watching an order.
 */
@Injectable()
export class OrderStatusStream
  extends OrderStatusFeed
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly emitter = new EventEmitter();
  private subscriber: Redis | undefined;

  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
    this.emitter.setMaxListeners(0);
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const { orderId } = JSON.parse(message) as { orderId: string };
      this.emitter.emit(orderId);
    });
    await this.subscriber.subscribe(STATUS_CHANNEL).catch(() => undefined);
  }

  watch(orderId: string, listener: () => void): () => void {
    this.emitter.on(orderId, listener);
    return () => this.emitter.off(orderId, listener);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
