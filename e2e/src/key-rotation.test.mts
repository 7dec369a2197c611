// A signing-key rotation under steady traffic: auth publishes the next key before it signs with
// it, so a verifier that cached the key set before the rotation accepts every token after it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { Api, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** auth rotates every 12 s, publishing each key 4 s before it signs; user keeps a set 2 s. */
const ROTATION_SECONDS = 12;

describe('signing-key rotation', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      only: ['user', 'auth'],
      env: {
        auth: {
          JWT_KEY_ROTATION_INTERVAL_SECONDS: String(ROTATION_SECONDS),
          JWT_KEY_PUBLICATION_DELAY_SECONDS: '4',
        },
        user: { JWKS_CACHE_MAX_AGE_MS: '2000' },
      },
    });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    await topology.stop();
    await removeInfrastructure();
  });

  /** A new access token for the session (refresh-token rotation), as a client gets one. */
  async function refreshed(): Promise<string> {
    const reply = await api.request<{ accessToken: string; refreshToken: string }>(
      'auth',
      'POST',
      '/auth/refresh',
      { body: { refreshToken: session.refreshToken } },
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    session = { ...session, ...reply.body };
    return reply.body.accessToken;
  }

  it('accepts every token through a rotation, also those signed right after it, with no 401', async () => {
    const firstKid = decodeProtectedHeader(session.accessToken).kid;
    assert.equal(
      (await api.request('user', 'GET', '/users/me', { token: session.accessToken })).status,
      200,
    );
    const rejected: string[] = [];
    let afterRotation = 0;
    const deadline = Date.now() + (ROTATION_SECONDS + 10) * 1000;
    while (afterRotation < 10 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const token = await refreshed();
      if (decodeProtectedHeader(token).kid !== firstKid) afterRotation++;
      const reply = await api.request('user', 'GET', '/users/me', { token });
      if (reply.status !== 200)
        rejected.push(`${String(reply.status)} ${JSON.stringify(reply.body)}`);
    }
    assert.equal(afterRotation, 10, 'auth rotated its signing key');
    assert.deepEqual(rejected, []);
    const { keys } = (
      await api.request<{ keys: { kid: string }[] }>('auth', 'GET', '/.well-known/jwks.json')
    ).body;
    assert.ok(
      keys.some((key) => key.kid === firstKid),
      'the retired key stays published while its tokens are valid',
    );
  });
});
