import { type z } from 'zod';
import { MALFORMED_REQUEST } from '../grpc/malformed-request';
import { DomainError } from './domain-error';

/**
 * Validates one input (REST body, gRPC request, message payload) against its schema and returns
 * the typed value, or throws invalid_argument listing every field that is wrong.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.output<S> {
  if (typeof value === 'object' && value !== null && MALFORMED_REQUEST in value) {
    throw new DomainError('invalid_argument', `malformed ${what}: not a valid protobuf message`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const violations = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(root)',
    message: issue.message,
  }));
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  throw new DomainError('invalid_argument', `invalid ${what}: ${summary}`, violations);
}
