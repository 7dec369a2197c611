import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { UserStore } from '../../../domain/ports';
import { type StoredUser, type User } from '../../../domain/user';

/** Claims the email and writes the user in one step; returns 0 if the email was taken. */
const CREATE = `
if redis.call('SETNX', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'email', ARGV[2], 'displayName', ARGV[3], 'passwordHash', ARGV[4])
return 1
`;

/** User's keys in Redis (under `user:`): user:<id> and email:<address> → id. */
@Injectable()
export class UserRepository extends UserStore {
  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
  }

  async create(user: User, passwordHash: string): Promise<boolean> {
    const created = await this.redis.eval(
      CREATE,
      2,
      `email:${user.email}`,
      `user:${user.id}`,
      user.id,
      user.email,
      user.displayName,
      passwordHash,
    );
    return created === 1;
  }

  async findById(id: string): Promise<StoredUser | undefined> {
    const hash = await this.redis.hgetall(`user:${id}`);
    if (!hash.id || !hash.email || hash.passwordHash === undefined) return undefined;
    return {
      id: hash.id,
      email: hash.email,
      displayName: hash.displayName ?? '',
      passwordHash: hash.passwordHash,
    };
  }

  async findIdByEmail(email: string): Promise<string | undefined> {
    return (await this.redis.get(`email:${email}`)) ?? undefined;
  }
}
