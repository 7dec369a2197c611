import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWKSCacheInput,
  jwksCache,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { DomainError } from '../errors/domain-error';
import { type DependencyStatus } from '../health/dependency-status';
import { type Clock, SystemClock } from '../ports/clock';
import { VerifiedTokens, type VerifiedTokensLimits } from './verified-tokens';

type VerificationKey = Awaited<ReturnType<JWTVerifyGetKey>>;

export interface AccessTokenClaims {
  /** The user id. */
  readonly sub: string;
  /** The session id (auth's refresh-token family). */
  readonly sid: string;
}

export interface JwtVerifierOptions {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** How long a fetched key set is used before it is fetched again. Default 10 minutes. */
  readonly cacheMaxAgeMs?: number;
  /**
   * How long past its max age the last key set fetched is still used while fetching a new one
   * fails (stale-if-error). Default 1 hour; after that, or with no key set ever fetched, a token
   * cannot be verified and the caller gets 503 (`unavailable`), never 401.
   */
  readonly staleIfErrorMs?: number;
}

/** The only algorithm auth signs with; anything else (including "none" and HS*) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** How long jose keeps auth's key set before it fetches it again (and a rotation arrives). */
export const JWKS_MAX_AGE_MS = 10 * 60_000;

/** How long the last good key set is used while a new one cannot be fetched. */
export const JWKS_STALE_IF_ERROR_MS = 60 * 60_000;

/**
 * After a failed fetch of the key set, no new fetch is tried for this long: tokens are verified
 * with the last good set meanwhile (or answered 503), instead of every request waiting for a
 * fetch that just failed (or timed out). It is also the Retry-After of such a 503.
 */
const JWKS_RETRY_MS = 5_000;

/**
 * Tokens verified once are taken on trust for at most a minute, never past their `exp` nor past
 * the moment jose would fetch the key set again. Bounded: 10,000 tokens are a few MB.
 */
const VERIFIED_TOKENS: VerifiedTokensLimits = { maxAgeMs: 60_000, maxEntries: 10_000 };

/**
 * Verifies access tokens locally against auth's published JWKS. jose caches the key set and
 * refetches it (rate-limited) when a token names an unknown `kid`, which is how key rotation
 * reaches verifiers without a restart. With a `status`, every real fetch of the key set is
 * reported into it: a success when jose stored a new set, a failure when getting one failed.
 *
 * When the key set cannot be fetched (auth down, a timeout, a 5xx, a body that is no key set),
 * the last good set is used for up to `staleIfErrorMs` past its max age (stale-if-error), and no
 * new fetch is tried for JWKS_RETRY_MS after each failure. A token it cannot verify for that
 * reason — no good set, the set too old, or a `kid` the set does not know while a refresh fails
 * — is `unavailable` (HTTP 503 with Retry-After), not `unauthenticated`: a client told 401 would
 * throw away a good token and log in again. A token that is really invalid (bad signature with a
 * known key, expired, another issuer or audience, an unknown `kid` after a successful refresh)
 * stays `unauthenticated`.
 *
 * A token that verified is not verified again while it is remembered (VerifiedTokens): every
 * request of a session carries the same token, and the signature check is most of the cost.
 * That is safe because the verdict depends only on the token's bytes, the key set and the time:
 * - nothing revokes an access token before its `exp` (logout and a replayed refresh token end
 *   the refresh session, not the access tokens already issued; no denylist is consulted), so
 *   remembering a valid token lets in nothing jose would refuse. A revocation check added here
 *   must run on every call, remembered or not;
 * - an entry counts only while jose holds the key set that verified it: when jose stores a new
 *   set (a rotation, or its 10-minute refresh), every remembered verdict is dropped, and none
 *   outlives the age at which jose would fetch the set again;
 * - an entry ends at the token's `exp`, without the 5 s clock tolerance, so an expired token
 *   always goes back to jose, which rejects it (or, within the tolerance, accepts it as before);
 * - only successes are remembered: a rejected token is verified, and rejected, every time.
 */
export class JwtVerifier {
  private readonly remote: JWTVerifyGetKey;
  /** jose records each successful fetch of the key set here (`uat`, the time it was stored). */
  private readonly keySet: JWKSCacheInput = {};
  private readonly verified = new VerifiedTokens<AccessTokenClaims>(VERIFIED_TOKENS);
  private readonly maxAgeMs: number;
  private readonly staleIfErrorMs: number;
  /** When fetching the key set last failed (jose's clock), while no fetch has succeeded since. */
  private failedAt: number | undefined;
  /** The last good key set as a local set, for stale-if-error (rebuilt when jose stores a new one). */
  private lastGood: { readonly uat: number; readonly keys: JWTVerifyGetKey } | undefined;

  constructor(
    private readonly options: JwtVerifierOptions,
    status?: DependencyStatus,
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.maxAgeMs = options.cacheMaxAgeMs ?? JWKS_MAX_AGE_MS;
    this.staleIfErrorMs = options.staleIfErrorMs ?? JWKS_STALE_IF_ERROR_MS;
    const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
      cacheMaxAge: this.maxAgeMs,
      cooldownDuration: 30_000,
      timeoutDuration: 2_000,
      [jwksCache]: this.keySet,
    });
    this.remote = status ? observedKeys(remote, this.keySet, status) : remote;
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const now = this.clock.now();
    const remembered = this.verified.get(token, now.getTime(), this.keySet.uat);
    if (remembered) return remembered;
    let keySet: number | undefined;
    const keys: JWTVerifyGetKey = async (header, jws) => {
      const key = await this.key(header, jws);
      keySet = this.keySet.uat; // the set jose took the key from: it stores both at once
      return key;
    };
    const { claims, expiresAt } = await this.verifyWithJose(token, keys, now);
    if (keySet !== undefined) {
      const until = Math.min(expiresAt, keySet + this.maxAgeMs);
      this.verified.set(token, claims, now.getTime(), until, keySet);
    }
    return claims;
  }

  /**
   * The key for a token: from jose (which fetches the set when it is older than its max age, or
   * when the token names a `kid` it does not hold), or, when that fetch fails, from the last good
   * set while it is within the stale-if-error bound. Right after a failure no fetch is tried for
   * JWKS_RETRY_MS. A key that cannot be had because the set cannot be fetched is `unavailable`
   * (503, Retry-After), never `unauthenticated`: the token may well be good.
   */
  private async key(...args: Parameters<JWTVerifyGetKey>): Promise<VerificationKey> {
    const now = Date.now(); // jose's clock: it stamps the key set it stores (`uat`) with it
    if (this.failedAt !== undefined && now < this.failedAt + JWKS_RETRY_MS) {
      return this.staleKey(now, 'the key set could not be fetched', ...args);
    }
    try {
      const key = await this.remote(...args);
      this.failedAt = undefined;
      return key;
    } catch (error) {
      if (KEY_SELECTION_ERRORS.some((type) => error instanceof type)) throw error;
      this.failedAt = now;
      return this.staleKey(now, describeFetchFailure(error), ...args);
    }
  }

  private async staleKey(
    now: number,
    reason: string,
    ...args: Parameters<JWTVerifyGetKey>
  ): Promise<VerificationKey> {
    const cache = this.keySet;
    if (!('uat' in cache) || now > cache.uat + this.maxAgeMs + this.staleIfErrorMs) {
      throw this.unavailable(now, `cannot verify access token right now: ${reason}`);
    }
    if (this.lastGood?.uat !== cache.uat) {
      this.lastGood = { uat: cache.uat, keys: createLocalJWKSet(cache.jwks) };
    }
    try {
      return await this.lastGood.keys(...args);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      throw this.unavailable(now, 'cannot verify access token right now: its key is not known yet');
    }
  }

  private unavailable(now: number, message: string): DomainError {
    const retryAt = (this.failedAt ?? now) + JWKS_RETRY_MS;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
    return new DomainError('unavailable', message, [], retryAfterSeconds);
  }

  private async verifyWithJose(
    token: string,
    keys: JWTVerifyGetKey,
    now: Date,
  ): Promise<{ claims: AccessTokenClaims; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 5,
        currentDate: now,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
        throw new DomainError('unauthenticated', 'invalid access token: missing claims');
      }
      const claims = Object.freeze({ sub: payload.sub, sid: payload.sid });
      return { claims, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('unauthenticated', describe(error));
    }
  }
}

/** Errors of choosing a key from a set already in hand; anything else failed to get the set. */
const KEY_SELECTION_ERRORS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSENotSupported,
  errors.JOSEAlgNotAllowed,
];

function observedKeys(
  remote: JWTVerifyGetKey,
  cache: JWKSCacheInput,
  status: DependencyStatus,
): JWTVerifyGetKey {
  return async (header, token) => {
    const storedBefore = cache.uat;
    try {
      return await remote(header, token);
    } catch (error) {
      if (!KEY_SELECTION_ERRORS.some((type) => error instanceof type)) {
        status.failed(error instanceof errors.JWKSTimeout ? 'timed out' : error, {
          outcome: 'fetch_failed',
        });
      }
      throw error;
    } finally {
      if (cache.uat !== storedBefore) status.succeeded({ outcome: 'fetched' });
    }
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'access token expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `invalid access token: ${error.message}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'access token signed with an unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'access token algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'access token signature invalid';
  return 'invalid access token';
}

/** Why the key set could not be had, for the 503's message (details go to the status). */
function describeFetchFailure(error: unknown): string {
  if (error instanceof errors.JWKSTimeout) return 'fetching the key set timed out';
  if (error instanceof errors.JWKSInvalid) return 'the key set fetched is not valid';
  return 'the key set could not be fetched';
}
