import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers, computed once. `@fastify/helmet` calls `helmet(options)` on every
 * request — the options parsed and the CSP string assembled again each time, in two hooks, one of
 * them async — which was a measurable part of a 64 B REST call (docs/performance.md). Junction's
 * headers never vary per request (no CSP nonces), so helmet runs once here against a recorder,
 * and every response gets the recorded set: the same hardening, built once. Written by hand
 * because neither helmet nor its Fastify plugin offers a precomputed mode.
 */
export function securityHeaders(
  options: Readonly<HelmetOptions> = {},
): ReadonlyMap<string, string> {
  const recorded = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      recorded.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader(name: string): void {
      recorded.delete(name.toLowerCase());
    },
  };
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error instanceof Error) throw error;
    },
  );
  return recorded;
}

/**
 * Sets the security headers on the raw response of every request, before any handler runs, so
 * that error replies and hijacked streams (the orders events stream writes its own head) carry
 * them too.
 */
export function addSecurityHeaders(
  fastify: FastifyInstance,
  options?: Readonly<HelmetOptions>,
): void {
  const headers = new Map(securityHeaders(options));
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.raw.setHeaders(headers);
    done();
  });
}
