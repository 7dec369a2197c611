import { isDomainError, RateLimiter } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../config';
import { LoginThrottled } from './auth.errors';
import { LoginFailures, Secrets } from './ports';

const WINDOW_SECONDS = 60;
/** The window of the per-account ceiling on failed logins, from every client together. */
const ACCOUNT_WINDOW_SECONDS = 15 * 60;

/**
 * Slows down credential stuffing and password guessing without letting anyone lock a victim
 * out: every login attempt counts against its client IP (LOGIN_LIMIT_PER_IP a minute); *failed*
 * logins count per account and client (LOGIN_LIMIT_PER_ACCOUNT a minute), so an attacker
 * who fails for an account throttles only themself; and per account from all clients
 * (LOGIN_FAILURE_CEILING_PER_ACCOUNT in 15 min): above that ceiling, a client that has already
 * failed for the account gets no further tries, while a client that has not (the account's owner
 * on their own device) still signs in with the right password. A successful login clears its
 * client's failures. Registration is limited per IP. Accounts are keyed by a hash of the email.
 */
@Injectable()
export class AttemptThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly failures: LoginFailures,
    private readonly config: AuthConfig,
    private readonly secrets: Secrets,
  ) {}

  /** Runs `verify` (the password check) unless this client is throttled for the account. */
  async login<T>(email: string, clientIp: string, verify: () => Promise<T>): Promise<T> {
    const { loginPerAccount, loginPerIp, loginFailureCeilingPerAccount } = this.config.limits;
    await this.limiter.hit(
      { name: 'login-ip', limit: loginPerIp, windowSeconds: WINDOW_SECONDS },
      clientIp,
    );
    const account = this.secrets.digest(email).slice(0, 32);
    const seen = await this.failures.count(account, clientIp);
    if (seen.byClient >= loginPerAccount) throw new LoginThrottled(seen.clientRetryAfterSeconds);
    if (seen.byAccount >= loginFailureCeilingPerAccount && seen.byClient > 0)
      throw new LoginThrottled(seen.accountRetryAfterSeconds);
    try {
      const verified = await verify();
      if (seen.byClient > 0) await this.failures.clear(account, clientIp);
      return verified;
    } catch (error) {
      if (isDomainError(error) && error.code === 'unauthenticated')
        await this.failures.record(account, clientIp, WINDOW_SECONDS, ACCOUNT_WINDOW_SECONDS);
      throw error;
    }
  }

  async register(clientIp: string): Promise<void> {
    const { registerPerIp } = this.config.limits;
    await this.limiter.hit(
      { name: 'register-ip', limit: registerPerIp, windowSeconds: WINDOW_SECONDS },
      clientIp,
    );
  }
}
