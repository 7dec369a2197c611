// Each running service serves at GET /openapi.json exactly the document committed in
// docs/openapi (which tools/openapi's test holds to the code), and what the services really
// answer on a register → login → checkout → follow-up session is what those documents say:
// a documented status, and a body with the documented fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Api, type Reply, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

const SERVICES = ['auth', 'user', 'orders', 'payment', 'inventory'] as const;
const DOCS = path.join(import.meta.dirname, '..', '..', 'docs', 'openapi');

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
}
interface Document {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

const committed = (service: string): Document =>
  JSON.parse(readFileSync(path.join(DOCS, `${service}.json`), 'utf8')) as Document;

function resolve(document: Document, schema: Schema): Schema {
  const name = schema.$ref?.replace('#/components/schemas/', '');
  return name ? resolve(document, document.components.schemas[name] ?? {}) : schema;
}

/** The body's shape against the schema: its fields, required ones present, no undocumented ones. */
function assertShape(document: Document, schema: Schema, value: unknown, where: string): void {
  const resolved = resolve(document, schema);
  if (resolved.type === 'array') {
    assert.ok(Array.isArray(value), `${where}: an array`);
    for (const [i, item] of value.entries())
      assertShape(document, resolved.items ?? {}, item, `${where}[${i}]`);
    return;
  }
  if (resolved.type !== 'object') return;
  assert.ok(typeof value === 'object' && value !== null, `${where}: an object`);
  const fields = Object.keys(value);
  for (const field of resolved.required ?? [])
    assert.ok(fields.includes(field), `${where}.${field} is missing`);
  if (resolved.additionalProperties === false) {
    const documented = Object.keys(resolved.properties ?? {});
    for (const field of fields)
      assert.ok(documented.includes(field), `${where}.${field} is not documented`);
  }
  for (const [field, property] of Object.entries(resolved.properties ?? {})) {
    if (field in value)
      assertShape(
        document,
        property,
        (value as Record<string, unknown>)[field],
        `${where}.${field}`,
      );
  }
}

function assertDocumented(service: string, method: string, route: string, reply: Reply): void {
  const document = committed(service);
  const operation = document.paths[route]?.[method.toLowerCase()];
  assert.ok(operation, `${service}: ${method} ${route} is documented`);
  const response =
    operation.responses[String(reply.status)] ??
    (reply.status >= 500 ? operation.responses['5XX'] : undefined);
  assert.ok(response, `${method} ${route}: ${reply.status} is a documented answer`);
  const schema = response.content?.['application/json']?.schema;
  if (schema) assertShape(document, schema, reply.body, `${method} ${route} ${reply.status}`);
  else assert.equal(reply.body, undefined, `${method} ${route} ${reply.status}: no body`);
}

describe('openapi', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;

  before(async () => {
    await resetInfrastructure();
    // The padded GetItem below: bench padding is off unless REPLY_PADDING_MAX_BYTES allows it.
    topology = await startE2eTopology({ env: { inventory: { REPLY_PADDING_MAX_BYTES: '1024' } } });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    await topology.stop();
    await removeInfrastructure();
  });

  for (const service of SERVICES) {
    it(`${service} serves the committed document at GET /openapi.json`, async () => {
      const reply = await api.request(service, 'GET', '/openapi.json');
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, committed(service));
    });
  }

  it('answers a shopping session as the documents say', async () => {
    const token = session.accessToken;
    const check = async (
      service: string,
      method: string,
      route: string,
      url: string,
      options = {},
    ) => {
      const reply = await api.request(service, method, url, options);
      assertDocumented(service, method, route, reply);
      return reply;
    };
    await check('auth', 'GET', '/.well-known/jwks.json', '/.well-known/jwks.json');
    await check('auth', 'POST', '/auth/login', '/auth/login', {
      body: { email: 'nobody@example.com', password: 'x' },
    });
    await check('auth', 'POST', '/auth/register', '/auth/register', {
      body: { email: 'not an email' },
    });
    const refreshed = await check('auth', 'POST', '/auth/refresh', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    const { refreshToken } = refreshed.body as { refreshToken: string };
    await check('user', 'GET', '/users/me', '/users/me', { token });
    await check('user', 'GET', '/users/me', '/users/me');
    await check('inventory', 'GET', '/inventory/items', '/inventory/items');
    await check(
      'inventory',
      'GET',
      '/inventory/items/{sku}',
      '/inventory/items/JNC-MUG?padding=16',
    );
    await check('inventory', 'GET', '/inventory/items/{sku}', '/inventory/items/JNC-NONE');
    const order = { lines: [{ sku: 'JNC-STICKER', quantity: 1 }], paymentMethod: 'pm_card_ok' };
    const placed = await check('orders', 'POST', '/orders', '/orders', {
      token,
      body: { ...order, mode: 'blocking' },
    });
    assert.equal(placed.status, 201);
    const queued = await check('orders', 'POST', '/orders', '/orders', {
      token,
      body: { ...order, mode: 'queued' },
    });
    assert.equal(queued.status, 202);
    await check('orders', 'POST', '/orders', '/orders', {
      token,
      body: { ...order, mode: 'later' },
    });
    const { id } = placed.body as { id: string };
    await check('orders', 'GET', '/orders', '/orders', { token });
    await check('orders', 'GET', '/orders/{id}', `/orders/${id}`, { token });
    await check('orders', 'GET', '/orders/{id}', '/orders/3b9ac9ff-0000-4000-8000-000000000000', {
      token,
    });
    await check('payment', 'GET', '/payments/{orderId}', `/payments/${id}`, { token });
    await check('payment', 'GET', '/payments/{orderId}', '/payments/none', { token });
    const logout = await check('auth', 'POST', '/auth/logout', '/auth/logout', {
      body: { refreshToken },
    });
    assert.equal(logout.status, 204);
  });

  it('answers the event stream as text/event-stream, as documented', async () => {
    const placed = await api.placeOrder(session, { sku: 'JNC-STICKER', mode: 'blocking' });
    const { id } = placed.body;
    const response = await fetch(topology.url('orders', `/orders/${id}/events`), {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    const text = await response.text();
    const documented = committed('orders').paths['/orders/{id}/events']?.get?.responses['200'];
    assert.deepEqual(Object.keys(documented?.content ?? {}), ['text/event-stream']);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(text, /event: status\ndata: \{/);
  });
});
