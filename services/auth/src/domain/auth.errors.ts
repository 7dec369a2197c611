import { DomainError } from '@junction/platform';

export class InvalidRefreshToken extends DomainError {
  constructor(reason = 'invalid or expired refresh token') {
    super('unauthenticated', reason);
  }
}

export class LoginThrottled extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(
      'rate_limited',
      `too many failed logins for this account from this client; try again in ${String(retryAfterSeconds)} s`,
      [],
      retryAfterSeconds,
    );
  }
}
