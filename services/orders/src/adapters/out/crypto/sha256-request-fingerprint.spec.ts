import { Sha256RequestFingerprint } from './sha256-request-fingerprint';

describe(Sha256RequestFingerprint.name, () => {
  const request = {
    lines: [{ sku: 'JNC-MUG', quantity: 2 }],
    paymentMethod: 'pm_card_ok',
    mode: 'blocking',
  } as const;

  describe('of', () => {
    it('gives the same request the same fingerprint, as 64 hex digits', () => {
      const fingerprint = new Sha256RequestFingerprint();
      expect(fingerprint.of(request)).toBe(fingerprint.of({ ...request }));
      expect(fingerprint.of(request)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('tells a request with other lines apart', () => {
      const fingerprint = new Sha256RequestFingerprint();
      const other = { ...request, lines: [{ sku: 'JNC-CAP', quantity: 1 }] };
      expect(fingerprint.of(other)).not.toBe(fingerprint.of(request));
    });
  });
});
