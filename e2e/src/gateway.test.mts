// The local gateway in front of the five services: every public route topology.yaml declares
// answers through it as the service answers directly, anything else is a 404 at the gateway,
// Location and Retry-After come back, and order events stream through as they happen.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadTopology } from '@junction/topology';
import { gatewayRoutes, matchRoute, requestTarget } from '../../tools/local/gateway.mts';
import { Api, type Order, type Reply, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type Gateway, startE2eGateway, throughGateway } from './support/gateway.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

// Payment takes this long to charge, so a queued order stays pending long enough to see its
// first event arrive before its last one.
const CHARGE_LATENCY_MS = 700;

/** Every route a request through the gateway went to (`GET /orders/{id}`). */
const driven = new Set<string>();

function drove(method: string, path: string): void {
  const route = matchRoute(gatewayRoutes(), method, requestTarget(path).path);
  if (route) driven.add(`${route.method} ${route.path}`);
}

/** The e2e Api, through the gateway, noting which declared route each request went to. */
class GatewayApi extends Api {
  override request<T = unknown>(
    service: string,
    method: string,
    path: string,
    options: Parameters<Api['request']>[3] = {},
  ): Promise<Reply<T>> {
    drove(method, path);
    return super.request<T>(service, method, path, options);
  }

  override streamEvents(
    session: Session,
    id: string,
    timeoutMs?: number,
  ): ReturnType<Api['streamEvents']> {
    drove('GET', `/orders/${id}/events`);
    return super.streamEvents(session, id, timeoutMs);
  }
}

let topology: E2eTopology;
let gateway: Gateway;
let direct: Api;
let via: GatewayApi;
let ada: Session;

const bearer = (session: Session) => ({ token: session.accessToken });

/** Status and body of the same call direct and through the gateway. */
async function both<T>(
  service: string,
  method: string,
  path: string,
  options: Parameters<Api['request']>[3] = {},
): Promise<[Reply<T>, Reply<T>]> {
  const straight = await direct.request<T>(service, method, path, options);
  const gated = await via.request<T>(service, method, path, options);
  return [straight, gated];
}

describe('the local gateway', () => {
  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      env: { payment: { FAULT_LATENCY_MS: String(CHARGE_LATENCY_MS) } },
    });
    gateway = await startE2eGateway();
    direct = new Api(topology);
    via = new GatewayApi(throughGateway(gateway));
    ada = await via.newSession();
  });

  after(async () => {
    await gateway.close();
    const codes = await topology.stop();
    assert.ok(
      Object.values(codes).every((code) => code === 0),
      JSON.stringify(codes),
    );
    await removeInfrastructure();
  });

  it('listens on gateway.port plus the run offset', () => {
    const offset = Number(new URL(topology.url('auth', '/')).port) - 3001;
    assert.equal(gateway.url, `http://localhost:${String(loadTopology().gateway.port + offset)}`);
  });

  it('registers, logs in, refreshes and logs out like auth', async () => {
    const email = `gw-${randomUUID()}@example.test`;
    const body = { email, password: 'correct horse battery', displayName: 'Gateway' };
    const registered = await via.request<{ user: { email: string } }>(
      'auth',
      'POST',
      '/auth/register',
      { body },
    );
    assert.equal(registered.status, 201);
    assert.equal(registered.body.user.email, email);
    const again = await both('auth', 'POST', '/auth/register', { body });
    assert.deepEqual([again[1].status, again[1].body], [again[0].status, again[0].body]);
    assert.equal(again[1].status, 409);

    const login = await via.request<{ accessToken: string; refreshToken: string }>(
      'auth',
      'POST',
      '/auth/login',
      { body: { email, password: body.password } },
    );
    assert.equal(login.status, 200);
    assert.ok(login.body.accessToken && login.body.refreshToken);
    const refreshed = await via.request<{ refreshToken: string }>('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refreshToken, login.body.refreshToken);
    const logout = await via.request('auth', 'POST', '/auth/logout', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    assert.equal(logout.status, 204);
    const [afterDirect, afterGated] = await both('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    assert.equal(afterGated.status, 401);
    assert.deepEqual(afterGated.body, afterDirect.body);
  });

  it('publishes the same JWKS, profile and catalog', async () => {
    for (const [service, path, options] of [
      ['auth', '/.well-known/jwks.json', {}],
      ['user', '/users/me', bearer(ada)],
      ['inventory', '/inventory/items', {}],
      ['inventory', '/inventory/items/JNC-MUG', {}],
      ['inventory', '/inventory/items/NO-SUCH-SKU', {}],
    ] as const) {
      const [straight, gated] = await both(service, 'GET', path, options);
      assert.equal(gated.status, straight.status, path);
      assert.deepEqual(gated.body, straight.body, path);
      assert.equal(gated.headers.get('content-type'), straight.headers.get('content-type'));
    }
  });

  it('places a blocking order (201 with the final order and its Location)', async () => {
    const reply = await via.placeOrder(ada, { sku: 'JNC-MUG', mode: 'blocking' });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.status, 'confirmed');
    assert.equal(reply.headers.get('location'), `/orders/${reply.body.id}`);
  });

  it('places a queued order with an Idempotency-Key once, and streams it to confirmed', async () => {
    const key = randomUUID();
    const placed = await via.placeOrder(ada, { sku: 'JNC-TEE', mode: 'queued' }, key);
    assert.equal(placed.status, 202);
    assert.equal(placed.body.status, 'pending');
    assert.equal(placed.headers.get('location'), `/orders/${placed.body.id}`);
    const repeated = await via.placeOrder(ada, { sku: 'JNC-TEE', mode: 'queued' }, key);
    assert.equal(repeated.body.id, placed.body.id, 'the same key and body are the same order');
    assert.equal(repeated.headers.get('idempotent-replayed'), 'true');

    const started = Date.now();
    const arrivals: { at: number; status: string }[] = [];
    drove('GET', `/orders/${placed.body.id}/events`);
    const response = await fetch(`${gateway.url}/orders/${placed.body.id}/events`, {
      headers: { authorization: `Bearer ${ada.accessToken}`, accept: 'text/event-stream' },
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body ?? []) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (block.includes('event: status') && data) {
          arrivals.push({ at: Date.now() - started, status: (JSON.parse(data) as Order).status });
        }
      }
    }
    const statuses = arrivals.map((a) => a.status);
    assert.deepEqual(statuses, ['pending', 'confirmed']);
    const [first, last] = [arrivals[0]?.at ?? 0, arrivals.at(-1)?.at ?? 0];
    assert.ok(
      last - first >= CHARGE_LATENCY_MS / 2,
      `pending came at ${String(first)} ms and confirmed at ${String(last)} ms: the stream was buffered`,
    );

    const straight = await direct.streamEvents(ada, placed.body.id);
    const gated = await via.streamEvents(ada, placed.body.id);
    assert.deepEqual(gated, straight, 'a finished order streams its final state and ends');
  });

  it('lists and shows orders, and their payments, like orders and payment', async () => {
    const list = await via.request<{ orders: Order[] }>('orders', 'GET', '/orders', bearer(ada));
    assert.equal(list.status, 200);
    const orders = list.body.orders;
    assert.ok(orders.length >= 2);
    for (const order of orders) await via.settled(ada, order.id);
    const first = orders[0];
    assert.ok(first);
    for (const [service, path] of [
      ['orders', '/orders'],
      ['orders', '/orders?limit=1'],
      ['orders', `/orders/${first.id}`],
      ['payment', `/payments/${first.id}`],
      ['orders', `/orders/${randomUUID()}`],
    ] as const) {
      const [straight, gated] = await both(service, 'GET', path, bearer(ada));
      assert.equal(gated.status, straight.status, path);
      assert.deepEqual(gated.body, straight.body, path);
    }
    const anonymous = await both('orders', 'GET', '/orders');
    assert.equal(anonymous[1].status, 401);
    assert.deepEqual(anonymous[1].body, anonymous[0].body);
  });

  it('passes Retry-After back with a 429', async () => {
    const email = `gw-limit-${randomUUID()}@example.test`;
    let reply: Reply | undefined;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      reply = await via.request('auth', 'POST', '/auth/login', {
        body: { email, password: 'not the password' },
      });
      if (reply.status === 429) break;
      assert.equal(reply.status, 401);
    }
    assert.equal(reply?.status, 429);
    assert.match(reply.headers.get('retry-after') ?? '', /^\d+$/);
  });

  it('answers 404 for what topology.yaml does not declare, which the services would serve', async () => {
    for (const [service, method, path] of [
      ['orders', 'GET', '/readyz'],
      ['orders', 'GET', '/healthz'],
      ['orders', 'GET', '/orders/a/b/events'],
      ['orders', 'DELETE', '/orders/x'],
      ['orders', 'HEAD', '/orders'],
      ['orders', 'GET', '/orders/'],
      ['auth', 'GET', '/auth/login'],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(await response.text(), '', `${method} ${path}: the gateway's own 404`);
      if (path === '/readyz' || path === '/healthz') {
        const straight = await fetch(topology.url(service, path));
        assert.equal(straight.status, 200, `${service} itself serves ${path}`);
      }
    }
  });

  it("went through every one of the gateway's API routes, which are topology.yaml's", () => {
    const topology = loadTopology();
    const declared = Object.values(topology.services).flatMap((s) =>
      s.routes.map((r) => `${r.method} ${r.path}`),
    );
    // The web apps' prefixes come last; the storefront's is driven by storefront.test.mts.
    assert.deepEqual(
      gatewayRoutes().map((r) => `${r.method} ${r.path}`),
      [...declared, ...Object.values(topology.web).map((app) => `any ${app.prefix}`)],
    );
    assert.deepEqual([...driven].sort(), [...declared].sort());
  });
});
