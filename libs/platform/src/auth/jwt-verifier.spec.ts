import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import type * as Jose from 'jose';
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  type KeyLike,
  SignJWT,
} from 'jose';
import pino from 'pino';
import { DomainError } from '../errors/domain-error';
import { type DependencyReport } from '../health/dependency-status';
import { ObservedDependencies } from '../health/observed-dependencies';
import { FixedClock } from '../testing/fixed-clock';
import { JwtVerifier } from './jwt-verifier';

// jose itself, with its jwtVerify counted: whether a token was verified again or remembered.
jest.mock('jose', () => {
  const actual = jest.requireActual<typeof Jose>('jose');
  return { ...actual, jwtVerify: jest.fn(actual.jwtVerify) };
});
const joseVerifications = (): number => jest.mocked(jwtVerify).mock.calls.length;

const ISSUER = 'junction-auth';
const AUDIENCE = 'junction';
const KID = 'key-1';

interface SigningKey {
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
}

/** How the stand-in answers: the key set, a 503, a body that is no JSON, or nothing at all. */
type JwksBehaviour = 'serve' | 'fail' | 'garbage' | 'hang';

/** A tiny stand-in for auth's JWKS endpoint, which a test can make fail. */
class JwksServer {
  behaviour: JwksBehaviour = 'serve';
  fetches = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async serve(keys: readonly JWK[]): Promise<JwksServer> {
    const served: { jwks?: JwksServer } = {};
    const server = createServer((request, response) => {
      const jwks = served.jwks;
      if (request.url !== '/.well-known/jwks.json' || !jwks) {
        response.writeHead(404).end();
        return;
      }
      jwks.fetches++;
      switch (jwks.behaviour) {
        case 'serve':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ keys }));
          return;
        case 'fail':
          response.writeHead(503).end();
          return;
        case 'garbage':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('<html>upstream connect error</html>');
          return;
        case 'hang':
          return; // the verifier's 2 s timeout ends it
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    served.jwks = new JwksServer(server, `http://127.0.0.1:${port}/.well-known/jwks.json`);
    return served.jwks;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

interface TokenSpec {
  readonly claims?: JWTPayload;
  readonly kid?: string;
  readonly key?: KeyLike;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expiresAt?: number;
  readonly notBefore?: number;
}

const now = (): number => Math.floor(Date.now() / 1000);

describe(JwtVerifier.name, () => {
  let signing: SigningKey;
  let jwks: JwksServer;

  beforeAll(async () => {
    signing = await generateKeyPair('ES256');
    const publicJwk = await exportJWK(signing.publicKey);
    jwks = await JwksServer.serve([{ ...publicJwk, kid: KID, alg: 'ES256', use: 'sig' }]);
  });

  afterAll(async () => {
    await jwks.close();
  });

  function verifier(): JwtVerifier {
    return new JwtVerifier({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE });
  }

  /** A valid access token unless the spec says otherwise. */
  function token(spec: TokenSpec = {}): Promise<string> {
    const jwt = new SignJWT({ sid: 'session-1', ...spec.claims })
      .setProtectedHeader({ alg: 'ES256', kid: spec.kid ?? KID, typ: 'JWT' })
      .setSubject('user-1')
      .setIssuer(spec.issuer ?? ISSUER)
      .setAudience(spec.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(spec.expiresAt ?? now() + 300);
    if (spec.notBefore !== undefined) jwt.setNotBefore(spec.notBefore);
    return jwt.sign(spec.key ?? signing.privateKey);
  }

  /** Header and payload as given, no signature at all. */
  function unsignedToken(header: Record<string, unknown>): string {
    const part = (value: object): string => base64url.encode(JSON.stringify(value));
    const payload = { sub: 'user-1', sid: 'session-1', iss: ISSUER, aud: AUDIENCE };
    return `${part(header)}.${part({ ...payload, iat: now(), exp: now() + 300 })}.`;
  }

  async function rejection(jwt: string | Promise<string>): Promise<DomainError> {
    const outcome = await verifier()
      .verify(await jwt)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    if (!(outcome instanceof DomainError)) {
      throw new Error(`expected a DomainError, got ${String(outcome)}`);
    }
    return outcome;
  }

  describe('verify', () => {
    it('accepts a token signed by the published key and returns the user and session', async () => {
      await expect(verifier().verify(await token())).resolves.toEqual({
        sub: 'user-1',
        sid: 'session-1',
      });
    });

    it('rejects an expired token', async () => {
      const error = await rejection(token({ expiresAt: now() - 60 }));
      expect(error).toMatchObject({ code: 'unauthenticated', message: 'access token expired' });
    });

    it('rejects a token that is not valid yet', async () => {
      const error = await rejection(token({ notBefore: now() + 60 }));
      expect(error.code).toBe('unauthenticated');
      expect(error.message).toMatch(/"nbf" claim/);
    });

    it('rejects a token from another issuer', async () => {
      const error = await rejection(token({ issuer: 'evil-auth' }));
      expect(error.code).toBe('unauthenticated');
      expect(error.message).toMatch(/"iss" claim/);
    });

    it('rejects a token meant for another audience', async () => {
      const error = await rejection(token({ audience: 'some-other-api' }));
      expect(error.code).toBe('unauthenticated');
      expect(error.message).toMatch(/"aud" claim/);
    });

    it('rejects a token signed by another key under the published kid', async () => {
      const impostor = await generateKeyPair('ES256');
      const error = await rejection(token({ key: impostor.privateKey }));
      expect(error).toMatchObject({
        code: 'unauthenticated',
        message: 'access token signature invalid',
      });
    });

    it('rejects an unsigned token (alg "none")', async () => {
      const error = await rejection(unsignedToken({ alg: 'none', kid: KID, typ: 'JWT' }));
      expect(error).toMatchObject({
        code: 'unauthenticated',
        message: 'access token algorithm not allowed',
      });
    });

    it('rejects an HS256 token keyed with the public key bytes (algorithm confusion)', async () => {
      const secret = new TextEncoder().encode(await exportSPKI(signing.publicKey));
      const forged = await new SignJWT({ sid: 'session-1' })
        .setProtectedHeader({ alg: 'HS256', kid: KID, typ: 'JWT' })
        .setSubject('user-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(now() + 300)
        .sign(secret);
      const error = await rejection(forged);
      expect(error).toMatchObject({
        code: 'unauthenticated',
        message: 'access token algorithm not allowed',
      });
    });

    it.each(['no-such-key', '../../../etc/passwd', '..%2f..%2fkeys', 'key-1/../key-1'])(
      'rejects a token whose kid %j names no published key',
      async (kid) => {
        const error = await rejection(token({ kid }));
        expect(error).toMatchObject({
          code: 'unauthenticated',
          message: 'access token signed with an unknown key',
        });
      },
    );

    it('rejects a token without a session id', async () => {
      const error = await rejection(token({ claims: { sid: undefined } }));
      expect(error).toMatchObject({
        code: 'unauthenticated',
        message: 'invalid access token: missing claims',
      });
    });

    it('rejects a token whose session id is not a string', async () => {
      const error = await rejection(token({ claims: { sid: 42 } }));
      expect(error.code).toBe('unauthenticated');
    });

    it('rejects a string that is not a JWT', async () => {
      const error = await rejection('not.a.jwt');
      expect(error).toMatchObject({ code: 'unauthenticated', message: 'invalid access token' });
    });
  });

  describe('verify, for a token it verified before', () => {
    /** A verifier on a clock the test moves (jose is given the same time). */
    function clockedVerifier(): { verifier: JwtVerifier; clock: FixedClock } {
      const clock = new FixedClock(new Date());
      const verifier = new JwtVerifier(
        { jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE },
        undefined,
        clock,
      );
      return { verifier, clock };
    }

    it('does not verify the same token again while it is valid', async () => {
      const { verifier, clock } = clockedVerifier();
      const jwt = await token();
      const first = await verifier.verify(jwt);
      clock.advance(30_000);
      await expect(verifier.verify(jwt)).resolves.toEqual({ sub: 'user-1', sid: 'session-1' });
      expect(joseVerifications()).toBe(1);
      expect(await verifier.verify(jwt)).toBe(first);
    });

    it('rejects a token it remembered once the token expired', async () => {
      const { verifier, clock } = clockedVerifier();
      const jwt = await token({ expiresAt: now() + 20 });
      await verifier.verify(jwt);
      clock.advance(30_000); // past exp and jose's 5 s of clock tolerance
      await expect(verifier.verify(jwt)).rejects.toMatchObject({
        code: 'unauthenticated',
        message: 'access token expired',
      });
      expect(joseVerifications()).toBe(2);
    });

    it('verifies a token again after a minute, though it is still valid', async () => {
      const { verifier, clock } = clockedVerifier();
      const jwt = await token();
      await verifier.verify(jwt);
      clock.advance(61_000);
      await expect(verifier.verify(jwt)).resolves.toEqual({ sub: 'user-1', sid: 'session-1' });
      expect(joseVerifications()).toBe(2);
    });

    it('verifies, and rejects, an invalid token every time', async () => {
      const { verifier } = clockedVerifier();
      await verifier.verify(await token()); // the key set is in hand
      const impostor = await generateKeyPair('ES256');
      const forged = await token({ key: impostor.privateKey });
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(verifier.verify(forged)).rejects.toThrow('access token signature invalid');
      }
      expect(joseVerifications()).toBe(3);
    });

    it('does not take a token for another that differs from it only in its signature', async () => {
      const { verifier } = clockedVerifier();
      const jwt = await token();
      await verifier.verify(jwt);
      const [header, payload] = jwt.split('.');
      const other = `${header ?? ''}.${payload ?? ''}.${base64url.encode(new Uint8Array(64))}`;
      await expect(verifier.verify(other)).rejects.toThrow('access token signature invalid');
    });
  });

  describe('observed JWKS fetches', () => {
    function observedVerifier(jwksUrl = jwks.url): {
      verifier: JwtVerifier;
      report: () => DependencyReport | undefined;
    } {
      const observed = new ObservedDependencies(pino({ level: 'silent' }));
      const verifier = new JwtVerifier(
        { jwksUrl, issuer: ISSUER, audience: AUDIENCE },
        observed.track('jwks', 'jwks'),
      );
      return { verifier, report: () => observed.report().jwks };
    }

    it('reports a successful fetch of the key set', async () => {
      const { verifier, report } = observedVerifier();
      await verifier.verify(await token());
      expect(report()).toMatchObject({ state: 'up', last: { ok: true, outcome: 'fetched' } });
      expect(report()?.lastSuccessAt).toEqual(expect.any(String));
    });

    it('reports a key set that cannot be fetched as down, with the reason', async () => {
      const closed = await JwksServer.serve([]);
      const url = closed.url;
      await closed.close();
      const { verifier, report } = observedVerifier(url);
      await expect(verifier.verify(await token())).rejects.toMatchObject({
        code: 'unavailable',
      });
      expect(report()).toMatchObject({
        state: 'down',
        last: { ok: false, outcome: 'fetch_failed' },
        lastFailure: { error: expect.stringContaining('ECONNREFUSED') as unknown },
      });
    });

    it('does not count a bad token against the key set', async () => {
      const { verifier, report } = observedVerifier();
      await verifier.verify(await token());
      const impostor = await generateKeyPair('ES256');
      await expect(verifier.verify(await token({ key: impostor.privateKey }))).rejects.toThrow(
        'access token signature invalid',
      );
      await expect(verifier.verify(await token({ kid: 'no-such-key' }))).rejects.toThrow(
        'access token signed with an unknown key',
      );
      expect(report()).toMatchObject({ state: 'up' });
      expect(report()?.lastFailure).toBeUndefined();
    });

    it('reports nothing for a token verified from the cached key set', async () => {
      const { verifier, report } = observedVerifier();
      await verifier.verify(await token());
      const first = report()?.lastSuccessAt;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await verifier.verify(await token());
      expect(report()?.lastSuccessAt).toBe(first);
    });
  });

  describe('verify, when the key set cannot be fetched', () => {
    let own: JwksServer;

    beforeEach(async () => {
      const publicJwk = await exportJWK(signing.publicKey);
      own = await JwksServer.serve([{ ...publicJwk, kid: KID, alg: 'ES256', use: 'sig' }]);
    });

    afterEach(async () => {
      await own.close();
    });

    /** A verifier whose key set goes stale after 100 ms and is kept `staleIfErrorMs` more. */
    function staleVerifier(staleIfErrorMs = 60_000): JwtVerifier {
      return new JwtVerifier({
        jwksUrl: own.url,
        issuer: ISSUER,
        audience: AUDIENCE,
        cacheMaxAgeMs: 100,
        staleIfErrorMs,
      });
    }

    const pastMaxAge = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

    it.each<JwksBehaviour>(['fail', 'garbage', 'hang'])(
      'answers unavailable with a retry time, not unauthenticated, when it never had a key set (%s)',
      async (behaviour) => {
        own.behaviour = behaviour;
        const outcome = staleVerifier().verify(await token());
        await expect(outcome).rejects.toMatchObject({
          code: 'unavailable',
          message: expect.stringMatching(/^cannot verify access token right now/) as unknown,
          retryAfterSeconds: expect.any(Number) as unknown,
        });
      },
    );

    it('answers unavailable when auth cannot be reached at all', async () => {
      const closed = await JwksServer.serve([]);
      const url = closed.url;
      await closed.close();
      const verifier = new JwtVerifier({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE });
      const error = await verifier.verify(await token()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('unavailable');
      expect((error as DomainError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });

    it.each<JwksBehaviour>(['fail', 'garbage', 'hang'])(
      'keeps verifying with the last good key set past its max age while fetching fails (%s)',
      async (behaviour) => {
        const verifier = staleVerifier();
        await verifier.verify(await token());
        own.behaviour = behaviour;
        await pastMaxAge();
        await expect(verifier.verify(await token())).resolves.toEqual({
          sub: 'user-1',
          sid: 'session-1',
        });
        await expect(
          verifier.verify(await token({ claims: { sid: 'session-2' } })),
        ).resolves.toEqual({ sub: 'user-1', sid: 'session-2' });
      },
    );

    it('does not try to fetch again right after a failed fetch', async () => {
      const verifier = staleVerifier();
      await verifier.verify(await token());
      own.behaviour = 'fail';
      await pastMaxAge();
      const before = own.fetches;
      for (let request = 0; request < 5; request++) await verifier.verify(await token());
      expect(own.fetches - before).toBe(1);
    });

    it('answers unavailable once the last good key set is older than the stale-if-error bound', async () => {
      const verifier = staleVerifier(100);
      await verifier.verify(await token());
      own.behaviour = 'fail';
      await new Promise((resolve) => setTimeout(resolve, 250)); // 100 ms max age + 100 ms bound
      await expect(verifier.verify(await token())).rejects.toMatchObject({
        code: 'unavailable',
      });
    });

    it('answers unavailable for a kid it does not know while the refresh fails', async () => {
      const verifier = staleVerifier();
      await verifier.verify(await token());
      own.behaviour = 'fail';
      await pastMaxAge();
      const next = await generateKeyPair('ES256');
      await expect(
        verifier.verify(await token({ kid: 'key-2', key: next.privateKey })),
      ).rejects.toMatchObject({
        code: 'unavailable',
        message: 'cannot verify access token right now: its key is not known yet',
      });
    });

    it('still rejects a token signed by another key under a known kid', async () => {
      const verifier = staleVerifier();
      await verifier.verify(await token());
      own.behaviour = 'fail';
      await pastMaxAge();
      const impostor = await generateKeyPair('ES256');
      await expect(
        verifier.verify(await token({ key: impostor.privateKey })),
      ).rejects.toMatchObject({
        code: 'unauthenticated',
        message: 'access token signature invalid',
      });
      await expect(verifier.verify(await token({ expiresAt: now() - 60 }))).rejects.toMatchObject({
        code: 'unauthenticated',
        message: 'access token expired',
      });
    });

    it('fetches the key set again once the retry time has passed', async () => {
      own.behaviour = 'fail';
      const verifier = staleVerifier();
      const error = (await verifier.verify(await token()).catch((e: unknown) => e)) as DomainError;
      expect(error.code).toBe('unavailable');
      own.behaviour = 'serve';
      await new Promise((resolve) => setTimeout(resolve, (error.retryAfterSeconds ?? 0) * 1000));
      await expect(verifier.verify(await token())).resolves.toMatchObject({ sub: 'user-1' });
    }, 15_000);
  });
});
