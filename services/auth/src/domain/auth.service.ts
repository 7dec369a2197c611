import { IdGenerator } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../config';
import { type Account, type NewAccount } from './account';
import { AttemptThrottle } from './attempt-throttle';
import { InvalidRefreshToken } from './auth.errors';
import { Secrets, SessionStore, TokenSigner, UserDirectory } from './ports';
import { type PublicKeySet, type TokenPair } from './session';

/** Registration, login, refresh-token rotation and logout. Users live in the user service. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserDirectory,
    private readonly sessions: SessionStore,
    private readonly signer: TokenSigner,
    private readonly config: AuthConfig,
    private readonly throttle: AttemptThrottle,
    private readonly secrets: Secrets,
    private readonly ids: IdGenerator,
  ) {}

  async register(account: NewAccount, clientIp: string): Promise<Account> {
    await this.throttle.register(clientIp);
    return this.users.create({ ...account, email: account.email.toLowerCase() });
  }

  /** Starts a session; only the digest of its refresh token is stored. */
  async login(email: string, password: string, clientIp: string): Promise<TokenPair> {
    const user = await this.throttle.login(email.toLowerCase(), clientIp, () =>
      this.users.verifyCredentials(email.toLowerCase(), password),
    );
    const sessionId = this.ids.newId();
    const refreshToken = this.secrets.newToken();
    await this.sessions.create(
      sessionId,
      user.id,
      this.secrets.digest(refreshToken),
      this.config.tokens.refreshTtlSeconds,
    );
    return this.pair(user.id, sessionId, refreshToken);
  }

  /**
   * Rotates the refresh token. Presenting an already-rotated token revokes the session, except
   * the one just rotated, again within the grace window (a double submit): that gets a valid
   * pair too.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const oldHash = this.secrets.digest(refreshToken);
    const session = await this.sessions.sessionOf(oldHash);
    if (!session) throw new InvalidRefreshToken();
    const next = this.secrets.newToken();
    const result = await this.sessions.rotate(
      session.sessionId,
      oldHash,
      this.secrets.digest(next),
      this.config.tokens.refreshTtlSeconds,
      this.config.tokens.refreshReuseGraceSeconds,
    );
    if (result === 'reused')
      throw new InvalidRefreshToken('refresh token reuse detected; session revoked');
    if (result === 'revoked') throw new InvalidRefreshToken();
    return this.pair(session.userId, session.sessionId, next);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored (idempotent). */
  async logout(refreshToken: string): Promise<void> {
    const session = await this.sessions.sessionOf(this.secrets.digest(refreshToken));
    if (session) await this.sessions.revoke(session.sessionId);
  }

  /** The public keys (JWKS) other services verify access tokens with. */
  keySet(): PublicKeySet {
    return this.signer.keySet();
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const { token, expiresIn } = await this.signer.sign(userId, sessionId);
    return { accessToken: token, tokenType: 'Bearer', expiresIn, refreshToken };
  }
}
