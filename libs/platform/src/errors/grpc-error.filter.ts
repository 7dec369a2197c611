import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { Logger, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { isDomainError, isInfrastructureUnavailable } from './domain-error';
import { grpcStatusOf } from './grpc-status';

/**
 * Maps every error leaving a gRPC handler to a gRPC status. Domain errors keep their message;
 * anything else becomes INTERNAL with a correlation id, the details going to the log. Not
 * registered by itself: ErrorFilter, the one global filter, hands it the errors of gRPC handlers.
 */
export class GrpcErrorFilter implements RpcExceptionFilter {
  private readonly logger = new Logger('GrpcErrorFilter');

  catch(error: unknown): Observable<never> {
    if (isDomainError(error)) {
      return throwError(() => ({ code: grpcStatusOf(error.code), message: error.message }));
    }
    if (isInfrastructureUnavailable(error)) {
      this.logger.warn(`backing service unavailable: ${(error as Error).message}`);
      return throwError(() => ({
        code: status.UNAVAILABLE,
        message: 'a backing service is unavailable; try again',
      }));
    }
    const correlationId = randomUUID();
    this.logger.error(
      { correlationId, err: error },
      `unhandled error: ${error instanceof Error ? error.message : String(error)}`,
    );
    return throwError(() => ({
      code: status.INTERNAL,
      message: `internal error (correlation id ${correlationId})`,
    }));
  }
}
