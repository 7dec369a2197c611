import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { SessionStore } from '../../../domain/ports';
import { type RotateResult, type Session } from '../../../domain/session';

/**
 * Rotates a session's refresh token atomically. `current` holds the hashes that may rotate
 * (one, or more after double submits); `previous` and `rotatedAt` (Redis time, ms) the one
 * rotated away from last. That one, presented again within the grace window, rotates too (a
 * browser that double-submitted keeps its session): its new hash joins `current`. Any other
 * token that is not current (it was already rotated: a replay) revokes the whole session.
 * KEYS: session:<sid>, refresh:<old>, refresh:<new>; ARGV: old hash, new hash, sid, ttl,
 * grace ms. Returns 'rotated', 'reused' (session revoked) or 'revoked' (session gone).
 */
const ROTATE = `
local current = redis.call('HGET', KEYS[1], 'current')
if not current then return 'revoked' end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if string.find(',' .. current .. ',', ',' .. ARGV[1] .. ',', 1, true) then
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'previous', ARGV[1], 'rotatedAt', now)
else
  local previous = redis.call('HGET', KEYS[1], 'previous')
  local rotatedAt = tonumber(redis.call('HGET', KEYS[1], 'rotatedAt') or '0')
  if previous ~= ARGV[1] or now - rotatedAt >= tonumber(ARGV[5]) then
    redis.call('DEL', KEYS[1])
    return 'reused'
  end
  redis.call('HSET', KEYS[1], 'current', current .. ',' .. ARGV[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
return 'rotated'
`;

/** Auth's keys in Redis (under `auth:`): session:<sid> and refresh:<sha256> → sid. */
@Injectable()
export class SessionRepository extends SessionStore {
  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
  }

  async create(
    sessionId: string,
    userId: string,
    refreshHash: string,
    ttlSeconds: number,
  ): Promise<void> {
    await this.redis
      .multi()
      .hset(`session:${sessionId}`, { userId, current: refreshHash })
      .expire(`session:${sessionId}`, ttlSeconds)
      .set(`refresh:${refreshHash}`, sessionId, 'EX', ttlSeconds)
      .exec();
  }

  async sessionOf(refreshHash: string): Promise<Session | undefined> {
    const sessionId = await this.redis.get(`refresh:${refreshHash}`);
    if (!sessionId) return undefined;
    const userId = await this.redis.hget(`session:${sessionId}`, 'userId');
    return { sessionId, userId: userId ?? '' };
  }

  async rotate(
    sessionId: string,
    oldHash: string,
    newHash: string,
    ttlSeconds: number,
    graceSeconds: number,
  ): Promise<RotateResult> {
    const keys = [`session:${sessionId}`, `refresh:${oldHash}`, `refresh:${newHash}`];
    return (await this.redis.eval(
      ROTATE,
      3,
      ...keys,
      oldHash,
      newHash,
      sessionId,
      ttlSeconds,
      graceSeconds * 1000,
    )) as RotateResult;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.redis.del(`session:${sessionId}`);
  }
}
