// Token verification when auth's JWKS cannot be fetched: a verifier that has keys keeps using
// them (stale-if-error), one that never got any answers 503 with Retry-After — never 401, which
// would make a client throw away a good token and log in again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntilReady } from '../../tools/local/topology.mts';
import { Api, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import {
  type E2eTopology,
  type RunningService,
  startE2eTopology,
  startQuietly,
} from './support/topology.mts';

/** user keeps a key set only 1 s before it wants a new one, so the outage outlasts it. */
const MAX_AGE_MS = 1_000;

describe('token verification while auth is down', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let lateVerifier: RunningService | undefined;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      only: ['user', 'auth'],
      env: { user: { JWKS_CACHE_MAX_AGE_MS: String(MAX_AGE_MS) } },
    });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    lateVerifier?.process.kill('SIGTERM');
    await lateVerifier?.exited;
    await topology.stop();
    await removeInfrastructure();
  });

  const me = (token: string) =>
    api.request<{ error: string; message: string }>('user', 'GET', '/users/me', { token });

  it('lets a valid token in with the keys it cached, after auth stopped and the keys went stale', async () => {
    assert.equal((await me(session.accessToken)).status, 200, 'user has fetched the keys');
    const auth = topology.services.find((service) => service.name === 'auth');
    assert.ok(auth);
    auth.process.kill('SIGTERM');
    await auth.exited;
    await new Promise((resolve) => setTimeout(resolve, MAX_AGE_MS + 500));

    for (let request = 0; request < 3; request++) {
      const reply = await me(session.accessToken);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    }
    const status = await api.request<{ dependencies: { jwks?: { state: string } } }>(
      'user',
      'GET',
      '/statusz',
    );
    assert.equal(status.body.dependencies.jwks?.state, 'down', 'the failed fetch is reported');
  });

  it('answers 503 with Retry-After, not 401, where no keys were ever fetched', async () => {
    lateVerifier = startQuietly('orders');
    await waitUntilReady(lateVerifier);
    const reply = await api.request<{ error: string; message: string }>(
      'orders',
      'GET',
      '/orders',
      {
        token: session.accessToken,
      },
    );
    assert.equal(reply.status, 503, JSON.stringify(reply.body));
    assert.equal(reply.body.error, 'unavailable');
    assert.match(reply.body.message, /cannot verify access token right now/);
    assert.match(reply.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  });

  it('still answers 401 for a token that is not one', async () => {
    const reply = await api.request('orders', 'GET', '/orders', { token: 'not.a.jwt' });
    assert.equal(reply.status, 401);
  });
});
