import { type Redis } from 'ioredis';

const REMEMBER_SECONDS = 7 * 24 * 3600;

/**
 * Which messages this service has already handled, keyed by messageId, in the service's own
 * Redis keyspace. It turns at-least-once delivery into one effect per message (the handlers'
 * domain operations are idempotent too, which covers a crash between effect and `remember`).
 */
export class Inbox {
  constructor(private readonly redis: Redis) {}

  async seen(messageId: string): Promise<boolean> {
    return (await this.redis.exists(`inbox:${messageId}`)) === 1;
  }

  async remember(messageId: string): Promise<void> {
    await this.redis.set(`inbox:${messageId}`, '1', 'EX', REMEMBER_SECONDS);
  }
}
