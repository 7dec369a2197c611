import { VerifiedTokens } from './verified-tokens';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const KEY_SET = T0 - 1_000;

function tokens(limits = { maxAgeMs: 60_000, maxEntries: 3 }) {
  return new VerifiedTokens<string>(limits);
}

describe(VerifiedTokens.name, () => {
  describe('get', () => {
    it('answers until the token expires, when that comes before the max age', () => {
      const remembered = tokens();
      remembered.set('jwt-a', 'claims', T0, T0 + 10_000, KEY_SET);
      expect(remembered.get('jwt-a', T0 + 9_999, KEY_SET)).toBe('claims');
      expect(remembered.get('jwt-a', T0 + 10_000, KEY_SET)).toBeUndefined();
    });

    it('answers until the max age, when that comes before the expiry', () => {
      const remembered = tokens();
      remembered.set('jwt-a', 'claims', T0, T0 + 900_000, KEY_SET);
      expect(remembered.get('jwt-a', T0 + 59_999, KEY_SET)).toBe('claims');
      expect(remembered.get('jwt-a', T0 + 60_000, KEY_SET)).toBeUndefined();
      expect(remembered.size).toBe(0);
    });

    it('forgets a token once the key set that verified it was replaced', () => {
      const remembered = tokens();
      remembered.set('jwt-a', 'claims', T0, T0 + 900_000, KEY_SET);
      expect(remembered.get('jwt-a', T0 + 1, KEY_SET + 5_000)).toBeUndefined();
      expect(remembered.get('jwt-a', T0 + 2, KEY_SET)).toBeUndefined();
    });

    it('knows only the exact token', () => {
      const remembered = tokens();
      remembered.set('jwt-a', 'claims', T0, T0 + 900_000, KEY_SET);
      expect(remembered.get('jwt-a ', T0, KEY_SET)).toBeUndefined();
      expect(remembered.get('jwt-b', T0, KEY_SET)).toBeUndefined();
    });
  });

  describe('set', () => {
    it('does not keep a token that has already expired', () => {
      const remembered = tokens();
      remembered.set('jwt-a', 'claims', T0, T0, KEY_SET);
      expect(remembered.size).toBe(0);
    });

    it('makes room by dropping the oldest token when full', () => {
      const remembered = tokens();
      for (const jwt of ['jwt-a', 'jwt-b', 'jwt-c', 'jwt-d']) {
        remembered.set(jwt, jwt, T0, T0 + 900_000, KEY_SET);
      }
      expect(remembered.size).toBe(3);
      expect(remembered.get('jwt-a', T0, KEY_SET)).toBeUndefined();
      expect(remembered.get('jwt-d', T0, KEY_SET)).toBe('jwt-d');
    });
  });
});
