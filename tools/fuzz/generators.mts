// Seeded generators of hostile input: odd strings, numbers, JSON shapes, headers and bytes.
import { mulberry32 } from '@junction/testkit';

/** A seeded PRNG (mulberry32), so a failing run can be replayed with its seed. */
export const random: (seed: number) => () => number = mulberry32;

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)] as T;
}

export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\u202e',
  '💥🔥',
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'JNC-MUG',
  'pm_card_ok',
  'pm_card_declined',
  '00000000-0000-4000-8000-000000000000',
  'a'.repeat(300),
  'x'.repeat(70_000),
  'ünïcödé',
  '\r\n\r\nX-Injected: 1',
];

const FIELD_NAMES = [
  'email',
  'password',
  'displayName',
  'refreshToken',
  'lines',
  'sku',
  'quantity',
  'paymentMethod',
  'mode',
  'orderId',
  'userId',
  'amountCents',
  'id',
  '__proto__',
  'constructor',
];

export function nastyNumber(rng: Rng): number {
  return pick(rng, [
    0,
    -0,
    -1,
    1,
    0.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 1,
    1e308,
    -1e308,
    Number.MIN_VALUE,
  ]);
}

/** A random JSON value, biased towards the field names the API knows. */
export function jsonValue(rng: Rng, depth = 0): unknown {
  const kind = Math.floor(rng() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng() < 0.5;
    case 2:
      return nastyNumber(rng);
    case 3:
    case 4:
      return pick(rng, NASTY_STRINGS);
    case 5:
      return Array.from({ length: Math.floor(rng() * 4) }, () => jsonValue(rng, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const size = Math.floor(rng() * 5);
      for (let i = 0; i < size; i++) {
        object[rng() < 0.8 ? pick(rng, FIELD_NAMES) : pick(rng, NASTY_STRINGS).slice(0, 40)] =
          jsonValue(rng, depth + 1);
      }
      return object;
    }
  }
}

/** A body as bytes plus its content type: JSON of odd shapes, broken JSON, other media types. */
export function body(rng: Rng): { contentType: string; payload: string } {
  const roll = rng();
  if (roll < 0.55)
    return { contentType: 'application/json', payload: JSON.stringify(jsonValue(rng)) };
  if (roll < 0.7)
    return {
      contentType: 'application/json',
      payload: pick(rng, ['{', '{"a":', '[1,2', '"', 'nul', '{"lines":[{]}', '\u0000']),
    };
  if (roll < 0.8)
    return {
      contentType: pick(rng, [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data; boundary=x',
      ]),
      payload: pick(rng, NASTY_STRINGS),
    };
  if (roll < 0.9) {
    const nested = '['.repeat(2000) + ']'.repeat(2000);
    return { contentType: 'application/json', payload: nested };
  }
  return {
    contentType: 'application/json',
    payload: JSON.stringify({
      lines: [{ sku: pick(rng, NASTY_STRINGS), quantity: nastyNumber(rng) }],
      paymentMethod: pick(rng, NASTY_STRINGS),
      mode: pick(rng, ['blocking', 'queued', 'both', '']),
    }),
  };
}

/** A path segment: nasty, then URL-encoded (or not, sometimes, to probe the router). */
export function segment(rng: Rng): string {
  const value = pick(rng, NASTY_STRINGS).slice(0, 2000) || 'x';
  // eslint-disable-next-line no-control-regex -- a raw path segment cannot carry control characters
  return rng() < 0.9 ? encodeURIComponent(value) : value.replace(/[/?#\s\u0000-\u001f]/g, '_');
}

export function authorization(rng: Rng, validToken: string): string | undefined {
  return pick(rng, [
    undefined,
    `Bearer ${validToken}`,
    `Bearer ${validToken}`,
    'Bearer',
    'Bearer ',
    'Bearer a.b.c',
    `Basic ${Buffer.from('a:b').toString('base64')}`,
    `Bearer ${'A'.repeat(8000)}`,
    `Bearer ${validToken.split('.').slice(0, 2).join('.')}.`,
    `bearer ${validToken}`,
  ]);
}

export function bytes(rng: Rng): Buffer {
  const length = pick(rng, [0, 1, 2, 5, 17, 64, 1024]);
  return Buffer.from(Array.from({ length }, () => Math.floor(rng() * 256)));
}
