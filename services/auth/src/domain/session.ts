/** A login session; it lives as long as its refresh token keeps being rotated. */
export interface Session {
  readonly sessionId: string;
  readonly userId: string;
}

/** What rotating a refresh token did: a stale (already rotated) token revokes the session. */
export type RotateResult = 'rotated' | 'reused' | 'revoked';

/** A signed access token and its lifetime in seconds. */
export interface AccessToken {
  readonly token: string;
  readonly expiresIn: number;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
}

/** The public keys access tokens verify with, as a JSON Web Key Set. */
export interface PublicKeySet {
  readonly keys: readonly object[];
}
