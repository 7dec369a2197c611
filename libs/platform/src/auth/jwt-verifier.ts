import {
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
}

/** The only algorithm auth signs with; anything else (including "none" and HS*) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** How long jose keeps auth's key set before it fetches it again (and a rotation arrives). */
const JWKS_MAX_AGE_MS = 10 * 60_000;

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
  private readonly keys: JWTVerifyGetKey;
  /** jose records each successful fetch of the key set here (`uat`, the time it was stored). */
  private readonly keySet: JWKSCacheInput = {};
  private readonly verified = new VerifiedTokens<AccessTokenClaims>(VERIFIED_TOKENS);

  constructor(
    private readonly options: JwtVerifierOptions,
    status?: DependencyStatus,
    private readonly clock: Clock = new SystemClock(),
  ) {
    const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
      cacheMaxAge: JWKS_MAX_AGE_MS,
      cooldownDuration: 30_000,
      timeoutDuration: 2_000,
      [jwksCache]: this.keySet,
    });
    this.keys = status ? observedKeys(remote, this.keySet, status) : remote;
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const now = this.clock.now();
    const remembered = this.verified.get(token, now.getTime(), this.keySet.uat);
    if (remembered) return remembered;
    let keySet: number | undefined;
    const keys: JWTVerifyGetKey = async (header, jws) => {
      const key = await this.keys(header, jws);
      keySet = this.keySet.uat; // the set jose took the key from: it stores both at once
      return key;
    };
    const { claims, expiresAt } = await this.verifyWithJose(token, keys, now);
    if (keySet !== undefined) {
      const until = Math.min(expiresAt, keySet + JWKS_MAX_AGE_MS);
      this.verified.set(token, claims, now.getTime(), until, keySet);
    }
    return claims;
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
  if (
    error instanceof errors.JWKSTimeout ||
    (error instanceof errors.JOSEError && error.code === 'ERR_JWKS_INVALID')
  ) {
    return 'cannot verify access token right now';
  }
  return 'invalid access token';
}
