import { DomainError } from '@junction/platform';

export class EmailTaken extends DomainError {
  constructor() {
    super('already_exists', 'a user with this email already exists');
  }
}

export class UserNotFound extends DomainError {
  constructor(id: string) {
    super('not_found', `no user ${id}`);
  }
}

/** Deliberately the same message for an unknown email and a wrong password. */
export class InvalidCredentials extends DomainError {
  constructor() {
    super('unauthenticated', 'invalid email or password');
  }
}
