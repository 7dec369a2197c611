import { generateKeyPairSync } from 'node:crypto';
import { mockOf } from '@junction/platform/testing';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { type AuthConfig } from '../../../config';
import { JoseTokenSigner } from './jose-token-signer';

const ISSUER = 'junction-auth';
const AUDIENCE = 'junction';
const ACCESS_TTL_SECONDS = 900;

function keyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function signerWith(privateKeyPem: string, previousPublicKeyPem?: string) {
  const config = mockOf<AuthConfig>({
    tokens: {
      privateKeyPem,
      previousPublicKeyPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      accessTtlSeconds: ACCESS_TTL_SECONDS,
    },
  });
  const signer = new JoseTokenSigner(config);
  await signer.onModuleInit();
  return signer;
}

describe(JoseTokenSigner.name, () => {
  describe('sign', () => {
    it('signs an ES256 access token for the user and session that its key set verifies', async () => {
      const signer = await signerWith(keyPair().privateKeyPem);
      const { token, expiresIn } = await signer.sign('user-1', 'session-1');

      const jwks = createLocalJWKSet(signer.keySet() as JSONWebKeySet);
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      expect(expiresIn).toBe(ACCESS_TTL_SECONDS);
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT' });
      expect(payload).toMatchObject({ sub: 'user-1', sid: 'session-1' });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(ACCESS_TTL_SECONDS);
    });
  });

  describe('keySet', () => {
    it('publishes the current public key first, then the previous one during a rotation', async () => {
      const previous = keyPair();
      const before = await signerWith(previous.privateKeyPem);
      const after = await signerWith(keyPair().privateKeyPem, previous.publicKeyPem);

      const keys = after.keySet().keys as { kid?: string; use?: string; d?: string }[];
      expect(keys).toHaveLength(2);
      expect(keys[1]?.kid).toBe((before.keySet().keys[0] as { kid?: string }).kid);
      expect(keys[0]?.kid).not.toBe(keys[1]?.kid);
      expect(keys.every((key) => key.use === 'sig' && key.d === undefined)).toBe(true);

      const oldToken = (await before.sign('user-1', 'session-1')).token;
      const jwks = createLocalJWKSet(after.keySet() as JSONWebKeySet);
      await expect(jwtVerify(oldToken, jwks, { issuer: ISSUER })).resolves.toBeDefined();
    });
  });
});
