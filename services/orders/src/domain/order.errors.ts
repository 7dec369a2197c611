import { DomainError } from '@junction/platform';

export class OrderNotFound extends DomainError {
  constructor(id: string) {
    super('not_found', `no order ${id}`);
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super('conflict', 'this Idempotency-Key was already used with a different request body');
  }
}

export class DependencyUnavailable extends DomainError {
  constructor(dependency: string, cause: string, retryAfterSeconds = 2) {
    super(
      'unavailable',
      `${dependency} is unavailable (${cause}); the order did not go through, try again`,
      [],
      retryAfterSeconds,
    );
  }
}

export class IdempotentRequestInProgress extends DomainError {
  constructor(retryAfterSeconds = 2) {
    super(
      'unavailable',
      'an earlier request with this Idempotency-Key is still being completed; try again',
      [],
      retryAfterSeconds,
    );
  }
}
