import { type Account, type NewAccount } from './account';
import { type AccessToken, type PublicKeySet, type RotateResult, type Session } from './session';

/** Sessions, keyed by the digest of their current refresh token (never the token itself). */
export abstract class SessionStore {
  abstract create(
    sessionId: string,
    userId: string,
    refreshHash: string,
    ttlSeconds: number,
  ): Promise<void>;
  /** The session a refresh token (current or already rotated) belongs to. */
  abstract sessionOf(refreshHash: string): Promise<Session | undefined>;
  /** Atomically: the new hash becomes current if the old one was; otherwise the session ends. */
  abstract rotate(
    sessionId: string,
    oldHash: string,
    newHash: string,
    ttlSeconds: number,
  ): Promise<RotateResult>;
  abstract revoke(sessionId: string): Promise<void>;
}

/** The users auth signs in; they live in the user service. */
export abstract class UserDirectory {
  abstract create(account: NewAccount): Promise<Account>;
  /** The account for a matching email and password; unauthenticated otherwise. */
  abstract verifyCredentials(email: string, password: string): Promise<Account>;
}

/** Signs access tokens with auth's private key; publishes the public keys to verify them. */
export abstract class TokenSigner {
  abstract sign(userId: string, sessionId: string): Promise<AccessToken>;
  /** The current public key first, then a previous one still valid during a rotation. */
  abstract keySet(): PublicKeySet;
}

/** Opaque secrets (refresh tokens) and the one-way digest they are stored and looked up by. */
export abstract class Secrets {
  /** A new unguessable token: 256 random bits, base64url (43 characters). */
  abstract newToken(): string;
  /** A deterministic one-way digest (SHA-256, hex) of a secret or of personal data. */
  abstract digest(value: string): string;
}
