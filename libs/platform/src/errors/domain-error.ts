/**
 * The error codes domain code may throw. Each transport maps every code in one exhaustive switch
 * (see http-status.ts and grpc-status.ts), so adding a code does not compile until all map it.
 */
export const ERROR_CODES = [
  'invalid_argument',
  'unauthenticated',
  'permission_denied',
  'not_found',
  'already_exists',
  'conflict',
  'failed_precondition',
  'rate_limited',
  'unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

/** An expected failure of a domain operation. The message is safe to show to the caller. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    /** For rate_limited / unavailable: when the caller may try again, in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/**
 * A failure of the store or broker underneath (ioredis gave up, a connection is closed or
 * refused), itself or as a cause of a discarded MULTI: the caller should get "unavailable, try
 * again", not "internal error".
 */
export function isInfrastructureUnavailable(error: unknown): boolean {
  return withCauses(error).some(
    (e) =>
      e.name === 'MaxRetriesPerRequestError' ||
      e.message.startsWith('OOM ') ||
      /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Stream isn't writeable/.test(
        e.message,
      ),
  );
}

/**
 * Redis refused a write because it is at its maxmemory (policy noeviction): "OOM command not
 * allowed when used memory > 'maxmemory'", alone or as the cause of a MULTI's EXECABORT (the
 * whole transaction was discarded: nothing of it was written).
 */
export function isStoreFull(error: unknown): boolean {
  return withCauses(error).some((e) => e.message.startsWith('OOM '));
}

/**
 * The error and, transitively, ioredis's `previousErrors` (the commands that made a MULTI fail),
 * each once: ioredis can list an error among its own previousErrors (a MULTI on a closed
 * connection), and a naive walk recursed until the stack overflowed (a 500 while Redis restarted).
 */
function withCauses(error: unknown): Error[] {
  const found: Error[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && found.length < 100) {
    const next = pending.pop();
    if (!(next instanceof Error) || found.includes(next)) continue;
    found.push(next);
    const previous = (next as { previousErrors?: unknown }).previousErrors;
    if (Array.isArray(previous)) pending.push(...(previous as unknown[]));
  }
  return found;
}
