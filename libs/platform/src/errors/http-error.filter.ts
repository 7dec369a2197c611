import { type ArgumentsHost, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { isDomainError, isInfrastructureUnavailable, isStoreFull } from './domain-error';
import { httpStatusOf } from './http-status';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  violations?: readonly { field: string; message: string }[];
  correlationId?: string;
}

/**
 * Maps every error reaching an HTTP route to a JSON body. Domain errors keep their message;
 * framework 4xx errors (unknown route, unparsable JSON, body too large) keep theirs; anything
 * else is a 500 that shows only a correlation id, the details going to the log. Not registered
 * by itself: ErrorFilter, the one global filter, hands it the errors of HTTP routes.
 */
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(error, request.id);
    if (isDomainError(error) && error.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    if (body.statusCode === 503 && !isDomainError(error)) void reply.header('retry-after', '2');
    void reply.status(body.statusCode).send(body);
  }

  private toBody(error: unknown, requestId: string): ErrorBody {
    if (isDomainError(error)) {
      const statusCode = httpStatusOf(error.code);
      return {
        statusCode,
        error: error.code,
        message: error.message,
        ...(error.violations.length > 0 ? { violations: error.violations } : {}),
      };
    }
    if (error instanceof HttpException) {
      const statusCode = error.getStatus();
      if (statusCode < 500) return { statusCode, error: 'http_error', message: error.message };
    }
    if (isStoreFull(error)) {
      this.logger.warn(`Redis refuses writes (maxmemory reached): ${(error as Error).message}`);
      return {
        statusCode: 503,
        error: 'unavailable',
        message: 'the store is full and refuses writes; try again later',
      };
    }
    if (isInfrastructureUnavailable(error)) {
      this.logger.warn(`backing service unavailable: ${(error as Error).message}`);
      return {
        statusCode: 503,
        error: 'unavailable',
        message: 'a backing service is unavailable; try again',
      };
    }
    const statusCode = frameworkClientError(error);
    if (statusCode !== undefined) {
      return { statusCode, error: 'bad_request', message: (error as Error).message };
    }
    this.logger.error(
      { correlationId: requestId, err: error },
      `unhandled error: ${error instanceof Error ? error.message : String(error)}`,
    );
    return {
      statusCode: 500,
      error: 'internal',
      message: 'internal error',
      correlationId: requestId,
    };
  }
}

/** Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode. */
function frameworkClientError(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  const { statusCode } = error;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500
    ? statusCode
    : undefined;
}
