import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { SigningKeyStore, type StoredSigningKey } from '../../../domain/signing-keys';

/**
 * Adds a key only if the newest key is still the one the caller saw (none: '').
 * KEYS: signing-keys (hash kid → key), signing-keys:newest; ARGV: expected newest, kid, key JSON.
 */
const ADD_AFTER = `
local newest = redis.call('GET', KEYS[2]) or ''
if newest ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

const RING = 'signing-keys';
const NEWEST = 'signing-keys:newest';

/**
 * auth's signing keys in Redis (under `auth:`): `signing-keys`, a hash of kid → the key's
 * metadata and private key (PKCS#8 PEM), and `signing-keys:newest`, the kid last added. The
 * private keys are as secret as the signing key in the Secret: only auth's Redis user may read
 * its prefix. Retired keys are deleted by whichever replica sees them expire first.
 */
@Injectable()
export class SigningKeyRepository extends SigningKeyStore {
  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
  }

  async load(): Promise<StoredSigningKey[]> {
    const ring = await this.redis.hgetall(RING);
    return Object.values(ring).flatMap((json) => {
      const key = parseKey(json);
      return key ? [key] : [];
    });
  }

  async addAfter(newestKid: string, key: StoredSigningKey): Promise<boolean> {
    const added = await this.redis.eval(
      ADD_AFTER,
      2,
      RING,
      NEWEST,
      newestKid,
      key.kid,
      JSON.stringify(key),
    );
    return added === 1;
  }

  async remove(kid: string): Promise<void> {
    await this.redis.hdel(RING, kid);
  }
}

function parseKey(json: string): StoredSigningKey | undefined {
  try {
    const key = JSON.parse(json) as Partial<StoredSigningKey>;
    if (
      typeof key.kid !== 'string' ||
      typeof key.publishedAt !== 'number' ||
      typeof key.signsFrom !== 'number' ||
      typeof key.privateKeyPem !== 'string'
    ) {
      return undefined;
    }
    return {
      kid: key.kid,
      publishedAt: key.publishedAt,
      signsFrom: key.signsFrom,
      privateKeyPem: key.privateKeyPem,
    };
  } catch {
    return undefined;
  }
}
