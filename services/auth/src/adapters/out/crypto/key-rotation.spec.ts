import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Clock, JwtVerifier } from '@junction/platform';
import { mockOf, TestRedis } from '@junction/platform/testing';
import { decodeProtectedHeader } from 'jose';
import { type AuthConfig } from '../../../config';
import { SigningKeyRepository } from '../redis/signing-key.repository';
import { JoseTokenSigner } from './jose-token-signer';

const ISSUER = 'junction-auth';
const AUDIENCE = 'junction';
/**
 * Fast enough for a test: a key signs for 4 s and is published 2 s before it signs; the verifier
 * keeps a key set 1 s, and each replica reads the ring every 0.5 s (a quarter of the delay).
 */
const ROTATION_MS = 4_000;
const DELAY_MS = 2_000;
const VERIFIER_MAX_AGE_MS = 1_000;

class WallClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** auth's JWKS route, served from one replica. */
async function serveJwks(signer: JoseTokenSigner): Promise<{ server: Server; url: string }> {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(signer.keySet()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/.well-known/jwks.json` };
}

describe('key rotation across auth replicas and a verifier', () => {
  let redis: TestRedis;
  const replicas: JoseTokenSigner[] = [];
  let jwks: { server: Server; url: string };

  beforeAll(async () => {
    redis = await TestRedis.connect({ label: 'key-rotation' });
    const privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const config = mockOf<AuthConfig>({
      tokens: {
        privateKeyPem,
        previousPublicKeyPem: undefined,
        issuer: ISSUER,
        audience: AUDIENCE,
        accessTtlSeconds: 60,
        rotationIntervalMs: ROTATION_MS,
        publicationDelayMs: DELAY_MS,
      },
    });
    for (const connection of [redis.redis, redis.anotherConnection()]) {
      const replica = new JoseTokenSigner(
        config,
        new SigningKeyRepository(connection),
        new WallClock(),
      );
      await replica.onModuleInit();
      replicas.push(replica);
    }
    jwks = await serveJwks(replicas[1] as JoseTokenSigner);
  });

  afterAll(async () => {
    for (const replica of replicas) replica.onModuleDestroy();
    jwks.server.closeAllConnections();
    jwks.server.close();
    await redis.close();
  });

  it('accepts every token, also those signed right after a rotation, at a verifier that cached the key set before it', async () => {
    const [a, b] = replicas as [JoseTokenSigner, JoseTokenSigner];
    const verifier = new JwtVerifier({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      cacheMaxAgeMs: VERIFIER_MAX_AGE_MS,
    });
    const first = await a.sign('user-1', 'session-0');
    const firstKid = decodeProtectedHeader(first.token).kid;
    await expect(verifier.verify(first.token)).resolves.toMatchObject({ sub: 'user-1' });

    // Steady traffic through the rotation: every request a new token from either replica.
    const rejected: string[] = [];
    let afterRotation = 0;
    for (let request = 1; request < 400 && afterRotation < 20; request++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const replica = request % 2 === 0 ? a : b;
      const { token } = await replica.sign('user-1', `session-${String(request)}`);
      if (decodeProtectedHeader(token).kid !== firstKid) afterRotation++;
      await verifier.verify(token).catch((error: unknown) => {
        rejected.push(`${String(decodeProtectedHeader(token).kid)}: ${String(error)}`);
      });
    }
    expect(afterRotation).toBe(20);
    expect(rejected).toEqual([]);
    await expect(verifier.verify(first.token)).resolves.toMatchObject({ sid: 'session-0' });
    expect(await redis.redis.hlen('signing-keys')).toBe(2);
  }, 20_000);
});
