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

/**
 * Verifies access tokens locally against auth's published JWKS. jose caches the key set and
 * refetches it (rate-limited) when a token names an unknown `kid`, which is how key rotation
 * reaches verifiers without a restart. With a `status`, every real fetch of the key set is
 * reported into it: a success when jose stored a new set, a failure when getting one failed.
 */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly options: JwtVerifierOptions,
    status?: DependencyStatus,
  ) {
    // jose records each successful fetch in this cache object (`uat`, the time it was stored).
    const cache: JWKSCacheInput = {};
    const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 2_000,
      [jwksCache]: cache,
    });
    this.keys = status ? observedKeys(remote, cache, status) : remote;
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 5,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
        throw new DomainError('unauthenticated', 'invalid access token: missing claims');
      }
      return { sub: payload.sub, sid: payload.sid };
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
