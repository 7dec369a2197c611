// The built app (dist/public, Vite's output with base /shop/): hashed assets cached for good,
// index.html revalidated on every visit (it names the current assets), and every other GET
// under /shop/ that is not a file answered with index.html, so that client-side routes such as
// /shop/orders/<id> survive a reload.
import fastifyStatic from '@fastify/static';
import { type FastifyInstance } from 'fastify';
import { type StorefrontConfig } from './config.ts';
import { sendError } from './errors.ts';
import { type AppConfig, STOREFRONT_SERVICE_NAME } from './app-config.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** GET /shop/config.json from the server's settings. */
export function appConfigOf(config: StorefrontConfig): AppConfig {
  return {
    tracing: config.otlpTracesUrl !== undefined,
    traces: config.jaegerQueryUrl !== undefined,
    jaegerUiUrl: config.jaegerUiUrl ?? null,
    demoPanel: config.demoPanel !== undefined,
    serviceName: STOREFRONT_SERVICE_NAME,
  };
}

/** Paths under /shop/ that are never the app: a miss there is a 404, not index.html. */
const NOT_THE_APP = /^\/shop\/(api|otlp|assets)(\/|$)/;

export async function staticApp(
  app: FastifyInstance,
  config: StorefrontConfig,
  publicDir: string,
): Promise<void> {
  const appConfig = appConfigOf(config);
  app.get('/shop/config.json', (_request, reply) =>
    reply.header('cache-control', REVALIDATE).send(appConfig),
  );
  app.get('/shop', (_request, reply) => reply.redirect('/shop/', 308));

  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/shop/',
    index: false,
    cacheControl: false,
    dotfiles: 'deny',
    setHeaders: (reply, path) => {
      reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? IMMUTABLE : REVALIDATE);
    },
  });

  app.get('/shop/', (_request, reply) =>
    reply.header('cache-control', REVALIDATE).sendFile('index.html'),
  );

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A path whose last segment has an extension asks for a file: a miss is a 404.
    const isFile = /\.[^/]*$/.test(path);
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      path.startsWith('/shop/') &&
      !NOT_THE_APP.test(path) &&
      !isFile
    ) {
      return reply.header('cache-control', REVALIDATE).sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', `no route ${request.method} ${path}`);
  });
}
