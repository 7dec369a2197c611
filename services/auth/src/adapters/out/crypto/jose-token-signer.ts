import { createPublicKey } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM, Clock } from '@junction/platform';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  calculateJwkThumbprint,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  type JWK,
  type KeyLike,
  SignJWT,
} from 'jose';
import { AuthConfig } from '../../../config';
import { TokenSigner } from '../../../domain/ports';
import { type AccessToken, type PublicKeySet } from '../../../domain/session';
import {
  isExpired,
  newestKid,
  nextKeyDue,
  publishedKeysAt,
  type RotationPolicy,
  SigningKeyStore,
  signingKeyAt,
  type StoredSigningKey,
} from '../../../domain/signing-keys';

/** A key of the ring, ready to sign with and to publish. */
interface LoadedKey {
  readonly kid: string;
  readonly publishedAt: number;
  readonly signsFrom: number;
  readonly privateKey: KeyLike;
  readonly jwk: JWK;
}

/** Past a token's `exp`, how long its key stays published: verifiers' clock tolerance and skew. */
const RETENTION_LEEWAY_MS = 60_000;

/** How often each replica reads the key ring (and rotates when due): well under the delay. */
const MAX_REFRESH_MS = 5_000;

/**
 * ES256 JWTs signed with jose; the public keys as a JWKS with RFC 7638 thumbprints as `kid`.
 * The keys are a ring shared by all replicas in Redis (SigningKeyStore), rotated in two phases
 * (domain/signing-keys.ts): the configured JWT_PRIVATE_KEY is the first key when the ring is
 * empty; every JWT_KEY_ROTATION_INTERVAL_SECONDS a replica generates the next key, published for
 * JWT_KEY_PUBLICATION_DELAY_SECONDS before any replica signs with it, and a retired key stays
 * published until the last token it signed has expired. Each replica re-reads the ring every few
 * seconds and picks the signing key by the time, so all of them switch at the same moment.
 * JWT_PREVIOUS_PUBLIC_KEY, if set, is published too (a key replaced by hand).
 */
@Injectable()
export class JoseTokenSigner extends TokenSigner implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('JoseTokenSigner');
  private readonly policy: RotationPolicy;
  private ring: LoadedKey[] = [];
  private previous: JWK[] = [];
  private configured: StoredSigningKey | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AuthConfig,
    private readonly store: SigningKeyStore,
    private readonly clock: Clock,
  ) {
    super();
    const { rotationIntervalMs, publicationDelayMs, accessTtlSeconds } = config.tokens;
    this.policy = {
      rotationIntervalMs,
      publicationDelayMs,
      retentionMs: accessTtlSeconds * 1000 + RETENTION_LEEWAY_MS,
    };
  }

  async onModuleInit(): Promise<void> {
    const { privateKeyPem, previousPublicKeyPem } = this.config.tokens;
    const jwk = await publicJwk(privateKeyPem);
    this.configured = { kid: jwk.kid ?? '', publishedAt: 0, signsFrom: 0, privateKeyPem };
    this.previous = previousPublicKeyPem ? [await publicJwk(previousPublicKeyPem)] : [];
    try {
      await this.refresh();
    } catch (error) {
      this.logger.warn(
        `signing keys not loaded from Redis, signing with the configured key: ${message(error)}`,
      );
      this.ring = await this.loaded([this.configured], this.ring);
    }
    const every = Math.min(MAX_REFRESH_MS, Math.floor(this.policy.publicationDelayMs / 4));
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => {
        this.logger.warn(`signing keys not refreshed: ${message(error)}`);
      });
    }, every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  keySet(): PublicKeySet {
    const now = this.clock.now().getTime();
    const published = publishedKeysAt(this.ring, now, this.policy).map((key) => key.jwk);
    const kids = new Set(published.map((jwk) => jwk.kid));
    return { keys: [...published, ...this.previous.filter((jwk) => !kids.has(jwk.kid))] };
  }

  async sign(userId: string, sessionId: string): Promise<AccessToken> {
    const key = signingKeyAt(this.ring, this.clock.now().getTime());
    if (!key) throw new Error('signing key not loaded');
    const { issuer, audience, accessTtlSeconds } = this.config.tokens;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${accessTtlSeconds}s`)
      .sign(key.privateKey);
    return { token, expiresIn: accessTtlSeconds };
  }

  /** Reads the ring; seeds it, adds the next key or drops expired ones when that is due. */
  async refresh(): Promise<void> {
    const now = this.clock.now().getTime();
    let keys = await this.store.load();
    if (keys.length === 0 && this.configured) {
      await this.store.addAfter('', { ...this.configured, publishedAt: now, signsFrom: now });
      keys = await this.store.load();
    }
    const due = nextKeyDue(keys, now, this.policy);
    if (due !== undefined) {
      const next = await generateKey(now, due);
      const added = await this.store.addAfter(newestKid(keys), next);
      keys = added ? [...keys, next] : await this.store.load();
      if (added)
        this.logger.log(
          `published signing key ${next.kid}, signing from ${new Date(due).toISOString()}`,
        );
    }
    const expired = keys.filter((key) => isExpired(keys, key, now, this.policy));
    for (const key of expired) await this.store.remove(key.kid);
    const live = keys.filter((key) => !expired.includes(key));
    this.ring = await this.loaded(live.length > 0 ? live : this.configuredOnly(), this.ring);
  }

  private configuredOnly(): StoredSigningKey[] {
    return this.configured ? [this.configured] : [];
  }

  /** The stored keys imported (a key already imported is reused). */
  private async loaded(
    keys: readonly StoredSigningKey[],
    before: readonly LoadedKey[],
  ): Promise<LoadedKey[]> {
    return Promise.all(
      keys.map(async (key) => {
        const known = before.find((loaded) => loaded.kid === key.kid);
        if (known && known.signsFrom === key.signsFrom) return known;
        return {
          kid: key.kid,
          publishedAt: key.publishedAt,
          signsFrom: key.signsFrom,
          privateKey: await importPKCS8(key.privateKeyPem, ACCESS_TOKEN_ALGORITHM),
          jwk: await publicJwk(key.privateKeyPem),
        };
      }),
    );
  }
}

/** A new P-256 key, published at `now`, signing from `signsFrom`. */
async function generateKey(now: number, signsFrom: number): Promise<StoredSigningKey> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const privateKeyPem = await exportPKCS8(privateKey);
  const jwk = await publicJwk(privateKeyPem);
  return { kid: jwk.kid ?? '', publishedAt: now, signsFrom, privateKeyPem };
}

/** The public JWK of a PEM key (private PKCS#8 or public SPKI), with its thumbprint as `kid`. */
async function publicJwk(pem: string): Promise<JWK> {
  const jwk = createPublicKey(pem).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
