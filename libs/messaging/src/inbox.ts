import { type Redis } from 'ioredis';

const REMEMBER_SECONDS = 7 * 24 * 3600;
/** How long a claim holds if its consumer dies mid-handling; then a redelivery may take over. */
const CLAIM_SECONDS = 30;

/**
 * Claims a messageId for handling: 'done' if it was handled already, 'busy' if another delivery
 * of it is being handled right now, 'claimed' if this delivery should handle it.
 */
const CLAIM = `
local state = redis.call('GET', KEYS[1])
if state == 'done' then return 'done' end
if state then return 'busy' end
redis.call('SET', KEYS[1], 'processing', 'EX', ARGV[1])
return 'claimed'
`;

export type Claim = 'claimed' | 'done' | 'busy';

/**
 * Which messages this service has handled, keyed by messageId, in the service's own Redis
 * keyspace. It turns at-least-once delivery into one effect per message, even for copies
 * delivered at the same time (the claim is atomic); the handlers' domain operations are
 * idempotent too, which covers a crash between the effect and `complete`.
 */
export class Inbox {
  constructor(private readonly redis: Redis) {}

  async claim(messageId: string): Promise<Claim> {
    return (await this.redis.eval(CLAIM, 1, `inbox:${messageId}`, String(CLAIM_SECONDS))) as Claim;
  }

  async complete(messageId: string): Promise<void> {
    await this.redis.set(`inbox:${messageId}`, 'done', 'EX', REMEMBER_SECONDS);
  }

  /** Gives a claim back after a failed attempt, so the retry can handle the message. */
  async abandon(messageId: string): Promise<void> {
    await this.redis.del(`inbox:${messageId}`);
  }
}
