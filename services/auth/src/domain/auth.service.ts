import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UserDirectory } from '../clients/user-directory';
import { AuthConfig } from '../config';
import { SessionsRepository } from '../store/sessions.repository';
import { AttemptThrottle } from './attempt-throttle';
import { InvalidRefreshToken } from './auth.errors';
import { TokenSigner } from './token-signer';

export interface TokenPair {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
}

/** Registration, login, refresh-token rotation and logout. Users live in the user service. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserDirectory,
    private readonly sessions: SessionsRepository,
    private readonly signer: TokenSigner,
    private readonly config: AuthConfig,
    private readonly throttle: AttemptThrottle,
  ) {}

  async register(email: string, password: string, displayName: string, clientIp: string) {
    await this.throttle.register(clientIp);
    return this.users.create(email.toLowerCase(), password, displayName);
  }

  async login(email: string, password: string, clientIp: string): Promise<TokenPair> {
    await this.throttle.login(email.toLowerCase(), clientIp);
    const user = await this.users.verifyCredentials(email.toLowerCase(), password);
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    await this.sessions.create(
      sessionId,
      user.id,
      digest(refreshToken),
      this.config.tokens.refreshTtlSeconds,
    );
    return this.pair(user.id, sessionId, refreshToken);
  }

  /** Rotates the refresh token. Presenting an already-rotated token revokes the session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const oldHash = digest(refreshToken);
    const session = await this.sessions.sessionOf(oldHash);
    if (!session) throw new InvalidRefreshToken();
    const next = newRefreshToken();
    const result = await this.sessions.rotate(
      session.sessionId,
      oldHash,
      digest(next),
      this.config.tokens.refreshTtlSeconds,
    );
    if (result === 'reused')
      throw new InvalidRefreshToken('refresh token reuse detected; session revoked');
    if (result === 'revoked') throw new InvalidRefreshToken();
    return this.pair(session.userId, session.sessionId, next);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored (idempotent). */
  async logout(refreshToken: string): Promise<void> {
    const session = await this.sessions.sessionOf(digest(refreshToken));
    if (session) await this.sessions.revoke(session.sessionId);
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const { token, expiresIn } = await this.signer.sign(userId, sessionId);
    return { accessToken: token, tokenType: 'Bearer', expiresIn, refreshToken };
  }
}

/** 256 random bits, base64url: 43 characters. Only its SHA-256 is stored. */
function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
