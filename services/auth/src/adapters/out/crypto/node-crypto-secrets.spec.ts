import { NodeCryptoSecrets } from './node-crypto-secrets';

describe(NodeCryptoSecrets.name, () => {
  describe('newToken', () => {
    it('makes 256 random bits in base64url: 43 characters, a new one every time', () => {
      const secrets = new NodeCryptoSecrets();
      const tokens = Array.from({ length: 100 }, () => secrets.newToken());
      for (const token of tokens) {
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      }
      expect(new Set(tokens).size).toBe(tokens.length);
    });
  });

  describe('digest', () => {
    it('is the SHA-256 of the value in hex', () => {
      expect(new NodeCryptoSecrets().digest('abc')).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    });
  });
});
