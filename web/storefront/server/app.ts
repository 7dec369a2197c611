// The storefront server: the built app and its config, the OTLP relay for the browser's spans,
// the Jaeger proxy for the waterfall, the demo panel's fault proxy, health. Every response
// carries the security headers. Built here, started by main.ts, driven by inject() in tests.
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { type StorefrontConfig } from './config.ts';
import { handleErrors } from './errors.ts';
import { faultProxy } from './fault-proxy.ts';
import { otlpRelay } from './otlp-relay.ts';
import { addSecurityHeaders } from './security-headers.ts';
import { staticApp } from './static-app.ts';
import { traceProxy } from './trace-proxy.ts';

export interface BuildOptions {
  readonly config: StorefrontConfig;
  /** The Vite build (dist/public). */
  readonly publicDir: string;
  readonly logger?: FastifyServerOptions['logger'];
}

export async function buildApp({
  config,
  publicDir,
  logger = false,
}: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    // A line per request would be noise: the server logs its start, stop and peer failures.
    logController: new LogController({ disableRequestLogging: true }),
    // The storefront is reached through one gateway (the local gateway, the Istio ingress
    // gateway), which appends the client's address to X-Forwarded-For. request.ip is that last
    // entry: the ones before it were sent by the client and prove nothing, so the OTLP relay's
    // rate limit keys on the address the gateway saw.
    trustProxy: 1,
  });
  addSecurityHeaders(app);
  handleErrors(app);

  const health = { status: 'ok' } as const;
  app.get('/healthz', () => health);
  app.get('/readyz', () => health);

  await otlpRelay(app, config.otlpTracesUrl);
  traceProxy(app, config.jaegerQueryUrl);
  if (config.demoPanel !== undefined) faultProxy(app, config.demoPanel);
  await staticApp(app, config, publicDir);
  return app;
}
