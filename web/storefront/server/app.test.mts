// The storefront server's routes (the built app, its config, health) and the headers every
// response carries, driven with inject().
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './security-headers.ts';
import { IMMUTABLE, REVALIDATE } from './static-app.ts';
import { appWith, fakePublicDir } from './testing.mts';

describe(buildApp.name, () => {
  const publicDir = fakePublicDir();
  let app: FastifyInstance;

  before(async () => {
    app = await appWith(
      {
        OTLP_TRACES_URL: 'http://127.0.0.1:1/v1/traces',
        JAEGER_UI_URL: 'http://localhost:16686/',
      },
      publicDir.dir,
    );
  });
  after(async () => {
    await app.close();
    publicDir.remove();
  });

  describe('the app', () => {
    it('redirects /shop to /shop/ with a 308', async () => {
      const response = await app.inject({ method: 'GET', url: '/shop' });
      assert.equal(response.statusCode, 308);
      assert.equal(response.headers.location, '/shop/');
    });

    it('serves index.html at /shop/, revalidated on every visit', async () => {
      const response = await app.inject({ method: 'GET', url: '/shop/' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.equal(response.headers['cache-control'], REVALIDATE);
      assert.match(response.body, /<title>Junction<\/title>/);
    });

    it('serves index.html for a client-side route, so a reload keeps the page', async () => {
      for (const url of [
        '/shop/orders',
        '/shop/orders/7b0c1e62-2f53-4b8e-9d1a-3c4d5e6f7a8b',
        '/shop/cart?x=1',
      ]) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 200, url);
        assert.match(response.body, /<title>Junction<\/title>/, url);
        assert.equal(response.headers['cache-control'], REVALIDATE, url);
      }
    });

    it('serves hashed assets as immutable and other files revalidated', async () => {
      const asset = await app.inject({ method: 'GET', url: '/shop/assets/index-AbC123.js' });
      assert.equal(asset.statusCode, 200);
      assert.equal(asset.body, 'console.log("app");');
      assert.equal(asset.headers['cache-control'], IMMUTABLE);
      const file = await app.inject({ method: 'GET', url: '/shop/robots.txt' });
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['cache-control'], REVALIDATE);
    });

    it('answers 404, not index.html, for a missing asset, file, API or OTLP path', async () => {
      for (const url of [
        '/shop/assets/gone-123.js',
        '/shop/favicon.ico',
        '/shop/api/nothing',
        '/shop/otlp/v1/metrics',
        '/elsewhere',
      ]) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
        assert.equal(response.json<{ error: string }>().error, 'not_found', url);
      }
    });

    it('answers 404 for a POST to an unknown path', async () => {
      const response = await app.inject({ method: 'POST', url: '/shop/orders', payload: {} });
      assert.equal(response.statusCode, 404);
    });
  });

  describe('GET /shop/config.json', () => {
    it('tells the app which optional parts are on', async () => {
      const response = await app.inject({ method: 'GET', url: '/shop/config.json' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        tracing: true,
        traces: false,
        jaegerUiUrl: 'http://localhost:16686',
        demoPanel: false,
        serviceName: 'junction-storefront',
      });
    });
  });

  describe('health', () => {
    it('answers /healthz and /readyz with ok', async () => {
      for (const url of ['/healthz', '/readyz']) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), { status: 'ok' });
      }
    });
  });

  describe('security headers', () => {
    it('are on every response: a page, an asset, a redirect, a 404, a 4xx of the relay', async () => {
      const responses = await Promise.all([
        app.inject({ method: 'GET', url: '/shop/' }),
        app.inject({ method: 'GET', url: '/shop/assets/index-AbC123.js' }),
        app.inject({ method: 'GET', url: '/shop' }),
        app.inject({ method: 'GET', url: '/nowhere' }),
        app.inject({ method: 'GET', url: '/healthz' }),
        app.inject({
          method: 'POST',
          url: '/shop/otlp/v1/traces',
          headers: { 'content-type': 'text/plain' },
          payload: 'x',
        }),
      ]);
      for (const response of responses) {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
          assert.equal(response.headers[name], value, `${name} on ${String(response.statusCode)}`);
        }
      }
    });

    it('allow no inline script or style and no other origin', () => {
      assert.equal(
        CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
      );
      assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe/);
    });
  });
});
