// The storefront server's error bodies, in the services' shape ({statusCode, error, message}:
// docs/openapi's Error), so the app shows every error the same way.
import { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';

export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'rate_limited'
  | 'bad_gateway'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: ErrorCode;
  readonly message: string;
}

export function errorBody(statusCode: number, error: ErrorCode, message: string): ErrorBody {
  return { statusCode, error, message };
}

export function sendError(
  reply: FastifyReply,
  statusCode: number,
  error: ErrorCode,
  message: string,
): FastifyReply {
  return reply
    .code(statusCode)
    .type('application/json')
    .send(errorBody(statusCode, error, message));
}

const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Fastify's own errors (unparsable JSON, a body over the limit, a refused media type, the rate
 * limit) keep their status and message; anything unexpected is a 500 whose details go to the log.
 */
export function handleErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(reply, status, CODE_OF_STATUS[status] ?? 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, 500, 'internal', 'internal error');
  });
}
