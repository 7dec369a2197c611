import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DomainError } from '../errors/domain-error';

/** Counts a hit in the current window and returns [count, ms left in the window]. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

export interface RateLimit {
  /** What is limited, for the key and the message, e.g. "login:account". */
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Fixed-window rate limits kept in Redis, so every replica shares them. A caller over the limit
 * gets `rate_limited` (HTTP 429) with the seconds until the window resets (Retry-After).
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async hit(rule: RateLimit, subject: string): Promise<void> {
    const key = `ratelimit:${rule.name}:${subject}`;
    const [count, ttlMs] = (await this.redis.eval(
      HIT,
      1,
      key,
      String(rule.windowSeconds * 1000),
    )) as [number, number];
    if (count > rule.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
      throw new DomainError(
        'rate_limited',
        `too many ${rule.name} attempts; try again in ${String(retryAfterSeconds)} s`,
        [],
        retryAfterSeconds,
      );
    }
  }
}
