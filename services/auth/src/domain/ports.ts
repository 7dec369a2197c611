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
  /**
   * Atomically: the new hash becomes current if the old one was. The token rotated away from
   * last, presented again within `graceSeconds` of that rotation (a double-submitted refresh),
   * rotates too: its new hash becomes current beside the one the first rotation made. Any other
   * token of the session ends it.
   */
  abstract rotate(
    sessionId: string,
    oldHash: string,
    newHash: string,
    ttlSeconds: number,
    graceSeconds: number,
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
  /** The keys to publish: the next one, the signing one, retired ones whose tokens are valid. */
  abstract keySet(): PublicKeySet;
}

/** Opaque secrets (refresh tokens) and the one-way digest they are stored and looked up by. */
export abstract class Secrets {
  /** A new unguessable token: 256 random bits, base64url (43 characters). */
  abstract newToken(): string;
  /** A deterministic one-way digest (SHA-256, hex) of a secret or of personal data. */
  abstract digest(value: string): string;
}

/** Failed logins seen for an account, from one client and from every client. */
export interface LoginFailureCounts {
  readonly byClient: number;
  readonly byAccount: number;
  /** Seconds until the client's failures, and the account's, are forgotten. */
  readonly clientRetryAfterSeconds: number;
  readonly accountRetryAfterSeconds: number;
}

/** Counts failed logins per (account, client) and per account, each in its own window. */
export abstract class LoginFailures {
  abstract count(account: string, client: string): Promise<LoginFailureCounts>;
  abstract record(
    account: string,
    client: string,
    clientWindowSeconds: number,
    accountWindowSeconds: number,
  ): Promise<void>;
  /** Forgets the client's failures for the account (after it signed in). */
  abstract clear(account: string, client: string): Promise<void>;
}
