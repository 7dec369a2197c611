import { DomainError } from '@junction/platform';

export class InvalidRefreshToken extends DomainError {
  constructor(reason = 'invalid or expired refresh token') {
    super('unauthenticated', reason);
  }
}
