import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type LoginFailureCounts, LoginFailures } from '../../../domain/ports';

/**
 * Counts one failed login in both windows, each starting at its first failure.
 * KEYS: the (account, client) counter, the account counter. ARGV: their windows in ms.
 */
const RECORD = `
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 0
`;

/** Under `auth:`: login-failures:<account> and login-failures:<account>:<client>. */
@Injectable()
export class LoginFailureCounter extends LoginFailures {
  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
  }

  async count(account: string, client: string): Promise<LoginFailureCounts> {
    const [byClient, byAccount, clientTtl, accountTtl] = await this.redis
      .multi()
      .get(clientKey(account, client))
      .get(accountKey(account))
      .pttl(clientKey(account, client))
      .pttl(accountKey(account))
      .exec()
      .then((replies) => (replies ?? []).map(([, value]) => Number(value ?? 0)));
    return {
      byClient: byClient ?? 0,
      byAccount: byAccount ?? 0,
      clientRetryAfterSeconds: secondsOf(clientTtl ?? 0),
      accountRetryAfterSeconds: secondsOf(accountTtl ?? 0),
    };
  }

  async record(
    account: string,
    client: string,
    clientWindowSeconds: number,
    accountWindowSeconds: number,
  ): Promise<void> {
    await this.redis.eval(
      RECORD,
      2,
      clientKey(account, client),
      accountKey(account),
      clientWindowSeconds * 1000,
      accountWindowSeconds * 1000,
    );
  }

  async clear(account: string, client: string): Promise<void> {
    await this.redis.del(clientKey(account, client));
  }
}

const accountKey = (account: string): string => `login-failures:${account}`;
const clientKey = (account: string, client: string): string =>
  `login-failures:${account}:${client}`;

/** A pttl in whole seconds, at least 1 (a key without expiry or gone answers -1/-2). */
const secondsOf = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
