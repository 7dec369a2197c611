// The local gateway against a stand-in for the services (one small HTTP server that records what
// reaches it): which requests it routes and which it refuses, what passes through in both
// directions, streaming and timeouts. e2e/src/gateway.test.mts drives it in front of the real
// services.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadTopology } from '@junction/topology';
import {
  durationMs,
  forwardedFor,
  type Gateway,
  gatewayRoutes,
  matchRoute,
  meshHttpTimeoutMs,
  requestTarget,
  startGateway,
} from './gateway.mts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A stand-in service: answers by path, records every request it gets. */
async function standIn(): Promise<{ server: Server; origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '/';
      seen.push({
        method: request.method ?? '',
        url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (url.startsWith('/orders/slow')) {
        setTimeout(() => response.end('late'), 1_500);
      } else if (url === '/orders/endless/events') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': open\n\n');
      } else if (url.endsWith('/events')) {
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          connection: 'keep-alive',
          'keep-alive': 'timeout=5',
        });
        response.write('event: status\ndata: {"status":"pending"}\n\n');
        setTimeout(() => {
          response.end('event: status\ndata: {"status":"confirmed"}\n\n');
        }, 1_200);
      } else if (url.startsWith('/inventory/items/BUSY')) {
        response.writeHead(503, { 'retry-after': '1' });
        response.end();
      } else if (url.startsWith('/auth/login')) {
        response.writeHead(429, { 'retry-after': '42', 'content-type': 'application/json' });
        response.end('{"code":"rate_limited"}');
      } else {
        response.writeHead(request.method === 'POST' ? 202 : 200, {
          location: '/orders/o-1',
          'content-type': 'application/json',
          'x-from': 'stand-in',
        });
        response.end(JSON.stringify({ url }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, origin: `http://127.0.0.1:${String(port)}`, seen };
}

describe('gatewayRoutes', () => {
  it("is every public route topology.yaml declares, with its service, and each web app's prefix", () => {
    const topology = loadTopology();
    const declared = [
      ...Object.values(topology.services).flatMap((s) =>
        s.routes.map((r) => `${s.name} ${r.method} ${r.path}${r.stream ? ' stream' : ''}`),
      ),
      ...Object.values(topology.web).map((app) => `${app.name} any ${app.prefix}`),
    ];
    const table = gatewayRoutes().map(
      (r) => `${r.service} ${r.method} ${r.path}${r.stream ? ' stream' : ''}`,
    );
    assert.deepEqual(table, declared);
  });
});

describe('matchRoute', () => {
  const routes = gatewayRoutes();
  const target = (method: string, url: string) =>
    matchRoute(routes, method, requestTarget(url).path)?.path;

  it('matches a literal path exactly and a {param} as one non-empty segment', () => {
    assert.equal(target('GET', '/orders'), '/orders');
    assert.equal(target('GET', '/orders/o-1'), '/orders/{id}');
    assert.equal(target('GET', '/orders/o-1/events'), '/orders/{id}/events');
    assert.equal(target('GET', '/orders/'), undefined);
    assert.equal(target('GET', '/orders//events'), undefined);
    assert.equal(target('GET', '/orders/a/b/events'), undefined);
    assert.equal(target('GET', '/ORDERS'), undefined);
  });

  it('matches the method exactly (no HEAD for a GET route)', () => {
    assert.equal(target('POST', '/orders'), '/orders');
    assert.equal(target('DELETE', '/orders/x'), undefined);
    assert.equal(target('HEAD', '/orders'), undefined);
    assert.equal(target('PUT', '/auth/login'), undefined);
  });

  it("sends every method under the storefront's prefix to it, and only that", () => {
    const app = (method: string, url: string) =>
      matchRoute(routes, method, requestTarget(url).path)?.service;
    for (const url of ['/shop', '/shop/', '/shop/cart', '/shop/assets/app-1a2b.js', '/shop/x/y']) {
      assert.equal(app('GET', url), 'storefront', url);
    }
    assert.equal(app('POST', '/shop/otlp/v1/traces'), 'storefront');
    assert.equal(app('PUT', '/shop/api/faults/payment'), 'storefront');
    assert.equal(app('GET', '/shopping'), undefined);
    assert.equal(app('GET', '/'), undefined);
    // Dot segments cannot climb out of the prefix into an API route, or into one.
    assert.equal(app('GET', '/shop/../orders'), 'orders');
    assert.equal(app('GET', '/orders/../shop/'), 'storefront');
  });

  it('ignores the query string and resolves dot segments before matching', () => {
    assert.equal(target('GET', '/orders?limit=5'), '/orders');
    assert.equal(target('GET', '/orders/x/../../readyz'), undefined);
    assert.equal(target('GET', '/inventory/items/../items'), '/inventory/items');
  });
});

describe('meshHttpTimeoutMs', () => {
  it("reads the chart's mesh.timeouts.http", () => {
    assert.equal(meshHttpTimeoutMs('mesh:\n  timeouts:\n    http: 15s\n'), 15_000);
    assert.ok(meshHttpTimeoutMs() > 0);
  });

  it('refuses a value that is not a duration', () => {
    assert.throws(() => durationMs('15'), /not a duration/);
    assert.equal(durationMs('250ms'), 250);
  });
});

describe('forwardedFor', () => {
  it("appends the client's address to what the client sent", () => {
    assert.equal(forwardedFor(undefined, '127.0.0.1'), '127.0.0.1');
    assert.equal(forwardedFor('203.0.113.7', '127.0.0.1'), '203.0.113.7, 127.0.0.1');
  });
});

describe('startGateway', () => {
  let service: Awaited<ReturnType<typeof standIn>>;
  let gateway: Gateway;

  before(async () => {
    service = await standIn();
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      timeoutMs: 500,
      upstream: () => service.origin,
    });
  });

  after(async () => {
    await gateway.close();
    service.server.close();
  });

  it('answers 404 with an empty body for an undeclared route, and reaches no service', async () => {
    const before = service.seen.length;
    for (const [method, path] of [
      ['GET', '/readyz'],
      ['GET', '/healthz'],
      ['GET', '/orders/a/b/events'],
      ['DELETE', '/orders/x'],
      ['HEAD', '/orders'],
      ['GET', '/'],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(await response.text(), '');
    }
    assert.equal(service.seen.length, before);
  });

  it('passes the body and the headers through, and adds X-Forwarded-For', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const response = await fetch(`${gateway.url}/orders?from=test`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer token-1',
        'idempotency-key': 'key-1',
        traceparent,
        'content-type': 'application/json',
        'x-forwarded-for': '203.0.113.7',
      },
      body: '{"lines":[]}',
    });
    assert.equal(response.status, 202);
    assert.equal(response.headers.get('location'), '/orders/o-1');
    assert.equal(response.headers.get('x-from'), 'stand-in');
    assert.deepEqual(await response.json(), { url: '/orders?from=test' });
    const seen = service.seen.at(-1);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen.body, '{"lines":[]}');
    assert.equal(seen.headers.authorization, 'Bearer token-1');
    assert.equal(seen.headers['idempotency-key'], 'key-1');
    assert.equal(seen.headers.traceparent, traceparent);
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers.host, new URL(gateway.url).host);
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
  });

  it('passes the status and Retry-After back', async () => {
    const response = await fetch(`${gateway.url}/auth/login`, { method: 'POST' });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '42');
  });

  it('does not retry a GET the service answered 503 (the client decides)', async () => {
    const before = service.seen.length;
    const response = await fetch(`${gateway.url}/inventory/items/BUSY`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '1');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.equal(service.seen.length, before + 1);
  });

  it('streams events as they come, past the timeout, and drops hop-by-hop headers', async () => {
    const started = Date.now();
    const response = await fetch(`${gateway.url}/orders/o-1/events`);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    // The gateway's own connection, not the service's.
    assert.notEqual(response.headers.get('keep-alive'), 'timeout=5');
    const reader = response.body?.getReader();
    assert.ok(reader);
    const first = await reader.read();
    const firstAt = Date.now() - started;
    assert.match(Buffer.from(first.value ?? []).toString(), /pending/);
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += Buffer.from(chunk.value).toString();
    }
    assert.match(rest, /confirmed/);
    assert.ok(firstAt < 1_000, `the first event came after ${String(firstAt)} ms (buffered)`);
    assert.ok(Date.now() - started >= 1_100, 'the stream outlived the 500 ms route timeout');
  });

  it('answers 504 when a non-stream route takes longer than the timeout', async () => {
    const response = await fetch(`${gateway.url}/orders/slow`);
    assert.equal(response.status, 504);
  });

  it('answers 503 when the service does not answer', async () => {
    const down = await startGateway({
      port: 0,
      host: '127.0.0.1',
      upstream: () => 'http://127.0.0.1:9',
    });
    try {
      const response = await fetch(`${down.url}/inventory/items`);
      assert.equal(response.status, 503);
      assert.match(await response.text(), /inventory did not answer/);
    } finally {
      await down.close();
    }
  });

  it('closes at once, cutting the event streams still open', { timeout: 5_000 }, async () => {
    const closing = await startGateway({
      port: 0,
      host: '127.0.0.1',
      upstream: () => service.origin,
    });
    const response = await fetch(`${closing.url}/orders/endless/events`);
    const reader = response.body?.getReader();
    await reader?.read();
    const started = Date.now();
    await closing.close();
    assert.ok(Date.now() - started < 1_000, 'close() waited for the stream');
    await assert.rejects(async () => {
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read());
    });
  });

  it('says which port is taken when it cannot listen', async () => {
    await assert.rejects(startGateway({ port: gateway.port, host: '127.0.0.1' }), {
      message: `port ${String(gateway.port)} (the gateway) is already in use`,
    });
  });
});
