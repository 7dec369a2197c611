// Hardening, as an attacker would probe it: rate limits with Retry-After, security headers, no
// CORS, body size limits, no bench padding on the public catalog, authentication on every
// private route, and no secret in any log line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

const PRIVATE_ROUTES: readonly [string, string, string][] = [
  ['user', 'GET', '/users/me'],
  ['orders', 'GET', '/orders'],
  ['orders', 'POST', '/orders'],
  ['orders', 'GET', '/orders/00000000-0000-4000-8000-000000000000'],
  ['orders', 'GET', '/orders/00000000-0000-4000-8000-000000000000/events'],
  ['payment', 'GET', '/payments/00000000-0000-4000-8000-000000000000'],
];

describe('security', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  const password = 'correct horse battery';

  before(async () => {
    await resetInfrastructure();
    // One proxy hop trusted, so that X-Forwarded-For tells auth apart the clients of a test.
    topology = await startE2eTopology({
      env: { auth: { LOGIN_LIMIT_PER_ACCOUNT: '3', TRUST_PROXY_HOPS: '1' } },
    });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    await topology.stop();
    await removeInfrastructure();
  });

  const login = (email: string, password: string, client: string) =>
    api.request('auth', 'POST', '/auth/login', {
      body: { email, password },
      headers: { 'x-forwarded-for': client },
    });

  it("does not let one client's failed logins lock the account's owner out", async () => {
    const email = `victim-${String(Date.now())}@example.test`;
    await api.request('auth', 'POST', '/auth/register', {
      body: { email, password, displayName: 'V' },
    });
    const attacker: number[] = [];
    for (let i = 0; i < 6; i++)
      attacker.push((await login(email, 'wrong password', '198.51.100.23')).status);
    assert.deepEqual(attacker, [401, 401, 401, 429, 429, 429], 'the attacker is throttled');
    const owner = await login(email, password, '203.0.113.45');
    assert.equal(owner.status, 200, 'the owner, on another client, still signs in');
    const again = await login(email, password, '198.51.100.23');
    assert.equal(again.status, 429, 'the attacking client stays throttled');
  });

  it('limits failed logins per account and client with 429 and Retry-After', async () => {
    const email = `limited-${String(Date.now())}@example.test`;
    await api.request('auth', 'POST', '/auth/register', {
      body: { email, password, displayName: 'L' },
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const reply = await api.request('auth', 'POST', '/auth/login', {
        body: { email, password: 'wrong password' },
      });
      statuses.push(reply.status);
      retryAfter ??= reply.headers.get('retry-after');
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    assert.ok(
      Number(retryAfter) >= 1 && Number(retryAfter) <= 60,
      `Retry-After ${String(retryAfter)}`,
    );
    const right = await api.request('auth', 'POST', '/auth/login', { body: { email, password } });
    assert.equal(right.status, 429, 'the limit holds for the right password too');
  });

  it('requires a valid bearer token on every private route', async () => {
    for (const [service, method, path] of PRIVATE_ROUTES) {
      const none = await api.request(service, method, path, method === 'POST' ? { body: {} } : {});
      assert.equal(none.status, 401, `${method} ${path} without a token`);
      const garbage = await api.request(service, method, path, {
        token: 'not.a.jwt',
        ...(method === 'POST' ? { body: {} } : {}),
      });
      assert.equal(garbage.status, 401, `${method} ${path} with a garbage token`);
    }
  });

  it('sends security headers and no CORS headers', async () => {
    const response = await fetch(topology.url('inventory', '/inventory/items'), {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(response.headers.get('content-security-policy'));
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(topology.url('orders', '/orders'), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });

  it('gives no bench padding on the public catalog: 400 naming the setting', async () => {
    const response = await fetch(
      topology.url('inventory', '/inventory/items/JNC-MUG?padding=262144'),
    );
    assert.equal(response.status, 400);
    assert.match(await response.text(), /REPLY_PADDING_MAX_BYTES/);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await fetch(topology.url('orders', '/orders'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session.accessToken}`,
      },
      body: JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(response.status, 413);
  });

  it('never writes a password or a token to the logs', async () => {
    const reply = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'blocking' });
    assert.equal(reply.status, 201);
    await api.request('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    const secrets = [
      password,
      session.accessToken,
      session.refreshToken,
      session.accessToken.split('.')[2] ?? '',
    ];
    for (const [service, lines] of topology.logs) {
      for (const line of lines) {
        for (const secret of secrets)
          assert.ok(!line.includes(secret), `${service} logged a secret: ${line.slice(0, 200)}`);
      }
    }
    assert.ok([...topology.logs.values()].flat().length > 20, 'the services did log');
  });
});
