import { type ArgumentsHost, NotFoundException } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { errorBodySchema } from './error-body';

/** The body HttpErrorFilter sends for an error. */
function bodyFor(error: unknown): unknown {
  let body: unknown;
  const reply = {
    status: () => reply,
    header: () => reply,
    send: (sent: unknown) => {
      body = sent;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'req-1' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(error, host);
  return body;
}

describe('errorBodySchema', () => {
  it.each([
    [
      'a domain error with violations',
      new DomainError('invalid_argument', 'invalid body', [{ field: 'a', message: 'b' }]),
    ],
    ['a rate limit', new DomainError('rate_limited', 'slow down', [], 30)],
    ['a framework 4xx', new NotFoundException('Cannot GET /nowhere')],
    [
      'a Fastify client error',
      Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }),
    ],
    ['a store that is down', new Error('connect ECONNREFUSED 127.0.0.1:6379')],
    ['an unexpected error', new TypeError('boom')],
  ])('describes what the HTTP error filter sends for %s', (_, error) => {
    expect(errorBodySchema.safeParse(bodyFor(error)).error).toBeUndefined();
  });

  it('fails a body the filter would not send', () => {
    expect(
      errorBodySchema.safeParse({ statusCode: 404, error: 'gone', message: 'x', extra: 1 }).success,
    ).toBe(false);
  });
});
