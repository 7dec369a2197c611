import { RateLimiter } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../config';
import { Secrets } from './ports';

const WINDOW_SECONDS = 60;

/**
 * Slows down credential stuffing and sign-up spam: login is limited per account and per client
 * IP, registration per IP. Accounts are keyed by a hash of the email, not the email itself.
 */
@Injectable()
export class AttemptThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AuthConfig,
    private readonly secrets: Secrets,
  ) {}

  async login(email: string, clientIp: string): Promise<void> {
    const { loginPerAccount, loginPerIp } = this.config.limits;
    await this.limiter.hit(
      { name: 'login-ip', limit: loginPerIp, windowSeconds: WINDOW_SECONDS },
      clientIp,
    );
    await this.limiter.hit(
      { name: 'login-account', limit: loginPerAccount, windowSeconds: WINDOW_SECONDS },
      this.secrets.digest(email).slice(0, 32),
    );
  }

  async register(clientIp: string): Promise<void> {
    const { registerPerIp } = this.config.limits;
    await this.limiter.hit(
      { name: 'register-ip', limit: registerPerIp, windowSeconds: WINDOW_SECONDS },
      clientIp,
    );
  }
}
