import { generateKeyPairSync } from 'node:crypto';
import { mockOf } from '@junction/platform/testing';
import { FixedClock } from '@junction/platform/testing';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { type AuthConfig } from '../../../config';
import { SigningKeyStore, type StoredSigningKey } from '../../../domain/signing-keys';
import { JoseTokenSigner } from './jose-token-signer';

const ISSUER = 'junction-auth';
const AUDIENCE = 'junction';
const ACCESS_TTL_SECONDS = 900;
const ROTATION_MS = 24 * 3600_000;
const DELAY_MS = 15 * 60_000;

function keyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The ring in memory, with the same compare-and-add as the Redis one. */
class InMemorySigningKeys extends SigningKeyStore {
  readonly keys = new Map<string, StoredSigningKey>();
  private newest = '';

  load(): Promise<StoredSigningKey[]> {
    return Promise.resolve([...this.keys.values()]);
  }

  addAfter(newestKid: string, key: StoredSigningKey): Promise<boolean> {
    if (this.newest !== newestKid) return Promise.resolve(false);
    this.keys.set(key.kid, key);
    this.newest = key.kid;
    return Promise.resolve(true);
  }

  remove(kid: string): Promise<void> {
    this.keys.delete(kid);
    return Promise.resolve();
  }
}

interface SignerSpec {
  readonly privateKeyPem?: string;
  readonly previousPublicKeyPem?: string;
  readonly store?: SigningKeyStore;
  readonly clock?: FixedClock;
}

const signers: JoseTokenSigner[] = [];

async function signerWith(spec: SignerSpec = {}): Promise<JoseTokenSigner> {
  const config = mockOf<AuthConfig>({
    tokens: {
      privateKeyPem: spec.privateKeyPem ?? keyPair().privateKeyPem,
      previousPublicKeyPem: spec.previousPublicKeyPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      accessTtlSeconds: ACCESS_TTL_SECONDS,
      rotationIntervalMs: ROTATION_MS,
      publicationDelayMs: DELAY_MS,
    },
  });
  const signer = new JoseTokenSigner(
    config,
    spec.store ?? new InMemorySigningKeys(),
    spec.clock ?? new FixedClock(),
  );
  await signer.onModuleInit();
  signers.push(signer);
  return signer;
}

const kids = (signer: JoseTokenSigner): (string | undefined)[] =>
  (signer.keySet().keys as { kid?: string }[]).map((key) => key.kid);

async function kidOf(signer: JoseTokenSigner): Promise<string | undefined> {
  return decodeProtectedHeader((await signer.sign('user-1', 'session-1')).token).kid;
}

afterEach(() => {
  for (const signer of signers.splice(0)) signer.onModuleDestroy();
});

describe(JoseTokenSigner.name, () => {
  describe('sign', () => {
    it('signs an ES256 access token for the user and session that its key set verifies', async () => {
      const signer = await signerWith();
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
      const before = await signerWith({ privateKeyPem: previous.privateKeyPem });
      const after = await signerWith({ previousPublicKeyPem: previous.publicKeyPem });

      const keys = after.keySet().keys as { kid?: string; use?: string; d?: string }[];
      expect(keys).toHaveLength(2);
      expect(keys[1]?.kid).toBe((before.keySet().keys[0] as { kid?: string }).kid);
      expect(keys[0]?.kid).not.toBe(keys[1]?.kid);
      expect(keys.every((key) => key.use === 'sig' && key.d === undefined)).toBe(true);

      const oldToken = (await before.sign('user-1', 'session-1')).token;
      const jwks = createLocalJWKSet(after.keySet() as JSONWebKeySet);
      await expect(jwtVerify(oldToken, jwks, { issuer: ISSUER })).resolves.toBeDefined();
    });

    it('starts the shared key ring with the configured key, whose kid stays its thumbprint', async () => {
      const store = new InMemorySigningKeys();
      const configured = keyPair();
      const first = await signerWith({ privateKeyPem: configured.privateKeyPem, store });
      const second = await signerWith({ store });
      expect(kids(first)).toEqual(kids(second));
      expect(await kidOf(second)).toBe(kids(first)[0]);
      expect(store.keys.size).toBe(1);
    });
  });

  describe('rotation', () => {
    it('publishes the next key a publication delay before it signs with it', async () => {
      const clock = new FixedClock();
      const signer = await signerWith({ clock });
      const first = await kidOf(signer);

      clock.advance(ROTATION_MS - DELAY_MS);
      await signer.refresh();
      const [next, current] = kids(signer);
      expect(current).toBe(first);
      expect(next).not.toBe(first);
      expect(await kidOf(signer)).toBe(first);

      clock.advance(DELAY_MS - 1);
      expect(await kidOf(signer)).toBe(first);
      clock.advance(1);
      expect(await kidOf(signer)).toBe(next);
      expect(kids(signer)).toEqual([next, first]);
    });

    it('keeps a retired key published until every token it signed has expired', async () => {
      const clock = new FixedClock();
      const signer = await signerWith({ clock });
      const first = await kidOf(signer);
      clock.advance(ROTATION_MS - DELAY_MS);
      await signer.refresh();
      clock.advance(DELAY_MS); // the next key signs from now; the first signed its last token
      const lastOfFirst = ACCESS_TTL_SECONDS * 1000;

      clock.advance(lastOfFirst);
      await signer.refresh();
      expect(kids(signer)).toContain(first);
      clock.advance(60_000); // + the verifiers' tolerance
      await signer.refresh();
      expect(kids(signer)).not.toContain(first);
      expect(kids(signer)).toHaveLength(1);
    });

    it('lets only one of several replicas publish the next key', async () => {
      const store = new InMemorySigningKeys();
      const clock = new FixedClock();
      const replicas = await Promise.all([1, 2, 3].map(() => signerWith({ store, clock })));
      clock.advance(ROTATION_MS - DELAY_MS);
      await Promise.all(replicas.map((replica) => replica.refresh()));
      expect(store.keys.size).toBe(2);
      clock.advance(DELAY_MS);
      const signing = await Promise.all(replicas.map(kidOf));
      expect(new Set(signing).size).toBe(1);
      expect(kids(replicas[0] as JoseTokenSigner)).toEqual(kids(replicas[2] as JoseTokenSigner));
    });
  });
});
