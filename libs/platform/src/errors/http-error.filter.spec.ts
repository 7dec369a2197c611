import { type ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { HttpErrorFilter } from './http-error.filter';

/** What the filter wrote to the Fastify reply. */
class RecordedReply {
  statusCode: number | undefined;
  body: unknown;
  readonly headers: Record<string, string> = {};

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  send(body: unknown): this {
    this.body = body;
    return this;
  }
}

function respondTo(error: unknown, requestId = 'req-42'): RecordedReply {
  const reply = new RecordedReply();
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: requestId }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(error, host);
  return reply;
}

describe(HttpErrorFilter.name, () => {
  describe('catch', () => {
    it('answers a domain error with its status, code and message', () => {
      const reply = respondTo(new DomainError('not_found', 'no order 7'));
      expect(reply.statusCode).toBe(404);
      expect(reply.body).toEqual({ statusCode: 404, error: 'not_found', message: 'no order 7' });
    });

    it('lists the field violations of an invalid_argument', () => {
      const violations = [{ field: 'lines.0.sku', message: 'must be a SKU' }];
      const reply = respondTo(new DomainError('invalid_argument', 'invalid body', violations));
      expect(reply.statusCode).toBe(400);
      expect(reply.body).toMatchObject({ violations });
    });

    it('tells when to retry an unavailable dependency', () => {
      const reply = respondTo(new DomainError('unavailable', 'payment is down', [], 2));
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBe('2');
    });

    it("keeps a framework 4xx's status and message", () => {
      const reply = respondTo(new NotFoundException('Cannot GET /nowhere'));
      expect(reply.body).toEqual({
        statusCode: 404,
        error: 'http_error',
        message: 'Cannot GET /nowhere',
      });
    });

    it("keeps the 4xx status of Fastify's own errors (bad JSON, wrong content type)", () => {
      const fastifyError = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });
      const reply = respondTo(fastifyError);
      expect(reply.statusCode).toBe(415);
      expect(reply.body).toMatchObject({ error: 'bad_request' });
    });

    it('answers 503 with Retry-After when the store underneath gave up', () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const gaveUp = Object.assign(
        new Error('Reached the max retries per request limit (which is 2).'),
        {
          name: 'MaxRetriesPerRequestError',
        },
      );
      const reply = respondTo(gaveUp);
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBe('2');
      expect(reply.body).toEqual({
        statusCode: 503,
        error: 'unavailable',
        message: 'a backing service is unavailable; try again',
      });
    });

    it.each([
      ['a refused command', new Error("OOM command not allowed when used memory > 'maxmemory'.")],
      [
        'a MULTI discarded because of one',
        Object.assign(new Error('EXECABORT Transaction discarded because of previous errors.'), {
          previousErrors: [new Error("OOM command not allowed when used memory > 'maxmemory'.")],
        }),
      ],
    ])('answers 503 with Retry-After when Redis is full and refuses writes (%s)', (_, error) => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const reply = respondTo(error);
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBe('2');
      expect(reply.body).toEqual({
        statusCode: 503,
        error: 'unavailable',
        message: 'the store is full and refuses writes; try again later',
      });
    });

    it('answers 503 for a MULTI on a closed connection that lists itself among its causes', () => {
      // What ioredis gave while Redis restarted (chaos restart-redis): a self-referencing
      // previousErrors made the store-full check recurse until the stack overflowed (a 500).
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const closed = new Error('Connection is closed.');
      const discarded = Object.assign(new Error('EXECABORT Transaction discarded.'), {
        previousErrors: [closed],
      });
      Object.assign(closed, { previousErrors: [closed, discarded] });
      expect(respondTo(discarded).statusCode).toBe(503);
      expect(respondTo(closed).statusCode).toBe(503);
    });

    it('hides an unexpected error behind a 500 with only a correlation id', () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const reply = respondTo(new Error('redis password is hunter2'), 'req-9');
      expect(reply.statusCode).toBe(500);
      expect(reply.body).toEqual({
        statusCode: 500,
        error: 'internal',
        message: 'internal error',
        correlationId: 'req-9',
      });
      expect(JSON.stringify(reply.body)).not.toContain('hunter2');
    });
  });
});
