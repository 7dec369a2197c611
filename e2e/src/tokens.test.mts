// Access and refresh tokens: only what auth signed, unexpired, for this audience, gets in; a
// replayed refresh token revokes the session.
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { devSigningKey } from '../../tools/local/topology.mts';
import { Api, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** How long the refresh token just rotated away from may be presented again (a double submit). */
const GRACE_SECONDS = 2;

describe('tokens', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let kid: string;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      only: ['user', 'auth', 'orders', 'inventory', 'payment'],
      env: { auth: { REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS) } },
    });
    api = new Api(topology);
    session = await api.newSession();
    kid = decodeProtectedHeader(session.accessToken).kid ?? '';
  });

  after(async () => {
    await topology.stop();
    await removeInfrastructure();
  });

  const me = (token: string) =>
    api.request<{ message: string }>('user', 'GET', '/users/me', { token });

  const sign = (
    key: ReturnType<typeof createPrivateKey>,
    claims: { exp?: number; nbf?: number; aud?: string; iss?: string },
  ) =>
    new SignJWT({ sid: 'forged' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(session.userId)
      .setIssuer(claims.iss ?? 'junction-auth')
      .setAudience(claims.aud ?? 'junction')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 60)
      .setNotBefore(claims.nbf ?? Math.floor(Date.now() / 1000) - 1)
      .sign(key);

  it('lets a fresh access token in', async () => {
    assert.equal((await me(session.accessToken)).status, 200);
  });

  it('rejects an expired token', async () => {
    const token = await sign(createPrivateKey(devSigningKey()), {
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const reply = await me(token);
    assert.equal(reply.status, 401);
    assert.match(reply.body.message, /expired/);
  });

  it('rejects a token signed with another key under the same kid', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const reply = await me(await sign(privateKey, {}));
    assert.equal(reply.status, 401);
    assert.match(reply.body.message, /signature/);
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = {
      sub: session.userId,
      sid: 'x',
      iss: 'junction-auth',
      aud: 'junction',
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const reply = await me(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`);
    assert.equal(reply.status, 401);
  });

  it('rejects a token for another audience', async () => {
    const reply = await me(await sign(createPrivateKey(devSigningKey()), { aud: 'someone-else' }));
    assert.equal(reply.status, 401);
  });

  const refresh = (refreshToken: string) =>
    api.request<{ refreshToken: string; accessToken: string; message: string }>(
      'auth',
      'POST',
      '/auth/refresh',
      { body: { refreshToken } },
    );

  it('rotates refresh tokens and revokes the session when an old one is replayed', async () => {
    const fresh = await api.newSession();
    const first = await refresh(fresh.refreshToken);
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refreshToken, fresh.refreshToken);
    // Past the grace window of a double submit, a rotated token coming back is a replay.
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 500));
    const replay = await api.request<{ message: string }>('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: fresh.refreshToken },
    });
    assert.equal(replay.status, 401);
    assert.match(replay.body.message, /reuse/);
    const afterRevoke = await api.request('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    assert.equal(afterRevoke.status, 401, 'the whole session is revoked');
  });

  it('keeps the session when the same refresh is submitted twice within the grace window', async () => {
    const fresh = await api.newSession();
    const [first, second] = await Promise.all([
      refresh(fresh.refreshToken),
      refresh(fresh.refreshToken),
    ]);
    assert.equal(first.status, 200, first.body.message);
    assert.equal(second.status, 200, second.body.message);
    assert.equal((await me(second.body.accessToken)).status, 200);
    const next = await refresh(second.body.refreshToken);
    assert.equal(next.status, 200, 'the session goes on with the pair the browser kept');
    assert.notEqual(next.body.refreshToken, second.body.refreshToken);
  });

  it('ends the session on logout', async () => {
    const fresh = await api.newSession();
    assert.equal(
      (
        await api.request('auth', 'POST', '/auth/logout', {
          body: { refreshToken: fresh.refreshToken },
        })
      ).status,
      204,
    );
    assert.equal(
      (
        await api.request('auth', 'POST', '/auth/refresh', {
          body: { refreshToken: fresh.refreshToken },
        })
      ).status,
      401,
    );
  });

  it('publishes the signing key as a JWKS', async () => {
    const jwks = await api.request<{
      keys: { kid: string; alg: string; kty: string; d?: string }[];
    }>('auth', 'GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    const [key] = jwks.body.keys;
    assert.ok(key);
    assert.equal(key.kid, kid);
    assert.equal(key.alg, 'ES256');
    assert.equal(key.d, undefined, 'no private part');
  });
});
