import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { SessionStore } from '../../../domain/ports';
import { type RotateResult, type Session } from '../../../domain/session';

/**
 * Rotates a session's refresh token atomically. A token that is not the session's current one
 * (it was already rotated: a replay) revokes the whole session.
 * KEYS: session:<sid>, refresh:<old>, refresh:<new>; ARGV: old hash, new hash, sid, ttl.
 * Returns 'rotated', 'reused' (session revoked) or 'revoked' (session gone).
 */
const ROTATE = `
local current = redis.call('HGET', KEYS[1], 'current')
if not current then return 'revoked' end
if current ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 'reused'
end
redis.call('HSET', KEYS[1], 'current', ARGV[2])
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
    )) as RotateResult;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.redis.del(`session:${sessionId}`);
  }
}
