// What the person reads when a call fails: the API's own words where it has them (a 400's
// fields, a 409's conflict), a plain instruction where it has not (a 429's wait, a 503's retry).
import { type ApiErrorBody } from './types.ts';

export const SESSION_EXPIRED = 'Your session expired, log in again.';
export const UNAVAILABLE = 'The service is unavailable, try again.';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  readonly status: number;
  readonly body: ApiErrorBody | undefined;

  constructor(status: number, message: string, body: ApiErrorBody | undefined) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return (
    typeof body === 'object' && body !== null && typeof (body as ApiErrorBody).message === 'string'
  );
}

/** The message shown for a failed answer. */
export function messageOf(status: number, body: unknown, retryAfter: string | null): string {
  const error = isErrorBody(body) ? body : undefined;
  switch (true) {
    case status === 400: {
      const violations = error?.violations ?? [];
      if (violations.length > 0) {
        return violations.map(({ field, message }) => `${field}: ${message}`).join('; ');
      }
      return error?.message ?? 'The request was refused.';
    }
    case status === 401:
      return error?.message ?? SESSION_EXPIRED;
    case status === 429: {
      const seconds = Number(retryAfter);
      const wait =
        Number.isFinite(seconds) && seconds > 0
          ? `try again in ${String(Math.ceil(seconds))} s`
          : 'try again later';
      return `Too many requests: ${wait}.`;
    }
    case status === 502 || status === 503 || status === 504:
      return UNAVAILABLE;
    case status >= 500:
      return error?.correlationId === undefined
        ? 'Something went wrong on our side, try again.'
        : `Something went wrong on our side (reference ${error.correlationId}), try again.`;
    default:
      return error?.message ?? `The request failed (${String(status)}).`;
  }
}

/** Any error as a sentence for the page. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return UNAVAILABLE; // fetch's network failure
  return error instanceof Error ? error.message : String(error);
}
