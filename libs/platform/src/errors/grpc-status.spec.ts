import { status } from '@grpc/grpc-js';
import { ERROR_CODES, type ErrorCode } from './domain-error';
import { errorCodeOfGrpc, grpcStatusOf } from './grpc-status';

const EXPECTED: Record<ErrorCode, status> = {
  invalid_argument: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  permission_denied: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  conflict: status.ABORTED,
  failed_precondition: status.FAILED_PRECONDITION,
  rate_limited: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
};

describe(grpcStatusOf.name, () => {
  it.each(ERROR_CODES.map((code) => [code, status[EXPECTED[code]], EXPECTED[code]] as const))(
    'maps %s to %s',
    (code, _name, expected) => {
      expect(grpcStatusOf(code)).toBe(expected);
    },
  );

  it('gives every code its own status', () => {
    const statuses = ERROR_CODES.map((code) => grpcStatusOf(code));
    expect(new Set(statuses).size).toBe(ERROR_CODES.length);
  });

  it('never maps a domain code to OK, UNKNOWN or INTERNAL', () => {
    for (const code of ERROR_CODES) {
      expect([status.OK, status.UNKNOWN, status.INTERNAL]).not.toContain(grpcStatusOf(code));
    }
  });
});

describe(errorCodeOfGrpc.name, () => {
  it.each([...ERROR_CODES])('turns the status of %s back into the same code', (code) => {
    expect(errorCodeOfGrpc(grpcStatusOf(code))).toBe(code);
  });

  it('treats a missed deadline as unavailable', () => {
    expect(errorCodeOfGrpc(status.DEADLINE_EXCEEDED)).toBe('unavailable');
  });

  it('leaves INTERNAL and UNKNOWN without a domain code', () => {
    expect(errorCodeOfGrpc(status.INTERNAL)).toBeUndefined();
    expect(errorCodeOfGrpc(status.UNKNOWN)).toBeUndefined();
  });
});
