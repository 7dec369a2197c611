import { ERROR_CODES, type ErrorCode } from './domain-error';
import { httpStatusOf } from './http-status';

const EXPECTED: Record<ErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
  failed_precondition: 422,
  rate_limited: 429,
  unavailable: 503,
};

describe(httpStatusOf.name, () => {
  it.each(ERROR_CODES.map((code) => [code, EXPECTED[code]] as const))(
    'maps %s to HTTP %i',
    (code, status) => {
      expect(httpStatusOf(code)).toBe(status);
    },
  );

  it('gives every code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
      expect(httpStatusOf(code)).toBeLessThan(600);
    }
  });

  it('shares a status only between already_exists and conflict (both 409)', () => {
    const codesByStatus = new Map<number, ErrorCode[]>();
    for (const code of ERROR_CODES) {
      const status = httpStatusOf(code);
      codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
    }
    const shared = [...codesByStatus.values()].filter((codes) => codes.length > 1);
    expect(shared).toEqual([['already_exists', 'conflict']]);
  });
});
