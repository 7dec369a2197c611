import { status } from '@grpc/grpc-js';
import { type ErrorCode } from './domain-error';

export function grpcStatusOf(code: ErrorCode): status {
  switch (code) {
    case 'invalid_argument':
      return status.INVALID_ARGUMENT;
    case 'unauthenticated':
      return status.UNAUTHENTICATED;
    case 'permission_denied':
      return status.PERMISSION_DENIED;
    case 'not_found':
      return status.NOT_FOUND;
    case 'already_exists':
      return status.ALREADY_EXISTS;
    case 'conflict':
      return status.ABORTED;
    case 'failed_precondition':
      return status.FAILED_PRECONDITION;
    case 'rate_limited':
      return status.RESOURCE_EXHAUSTED;
    case 'unavailable':
      return status.UNAVAILABLE;
  }
}

/** The reverse, for a client that turns a peer's gRPC error back into a domain code. */
export function errorCodeOfGrpc(code: status): ErrorCode | undefined {
  switch (code) {
    case status.INVALID_ARGUMENT:
    case status.OUT_OF_RANGE:
      return 'invalid_argument';
    case status.UNAUTHENTICATED:
      return 'unauthenticated';
    case status.PERMISSION_DENIED:
      return 'permission_denied';
    case status.NOT_FOUND:
      return 'not_found';
    case status.ALREADY_EXISTS:
      return 'already_exists';
    case status.ABORTED:
      return 'conflict';
    case status.FAILED_PRECONDITION:
      return 'failed_precondition';
    case status.RESOURCE_EXHAUSTED:
      return 'rate_limited';
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return 'unavailable';
    default:
      return undefined;
  }
}
