import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { addSecurityHeaders, securityHeaders } from './security-headers';

/** What helmet itself sets on a real node:http response, as lower-cased name → value. */
async function helmetOnARealResponse(): Promise<Map<string, string>> {
  const server: Server = createServer((request, response) => {
    helmet()(request, response, () => {
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${String(port)}/`);
    const headers = new Map<string, string>();
    response.headers.forEach((value, name) => {
      if (
        !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)
      ) {
        headers.set(name, value);
      }
    });
    return headers;
  } finally {
    server.close();
  }
}

describe(securityHeaders.name, () => {
  it('records exactly the headers helmet sets on a real response', async () => {
    expect(Object.fromEntries(securityHeaders())).toEqual(
      Object.fromEntries(await helmetOnARealResponse()),
    );
  });

  it('includes the content security policy and nosniff', () => {
    const headers = securityHeaders();
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('follows the options it is given', () => {
    expect(securityHeaders({ contentSecurityPolicy: false }).has('content-security-policy')).toBe(
      false,
    );
  });
});

describe(addSecurityHeaders.name, () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    addSecurityHeaders(app);
    app.get('/ok', () => ({ ok: true }));
    app.get('/fails', () => {
      throw new Error('boom');
    });
    app.get('/stream', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.end('data: 1\n\n');
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(['/ok', '/fails', '/stream', '/not-a-route'])(
    'sends every security header on %s',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      for (const [name, value] of securityHeaders()) expect(response.headers[name]).toBe(value);
    },
  );
});
