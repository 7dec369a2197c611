import { getItemSchema, itemQuerySchema, MAX_PADDING_BYTES } from './inventory.schemas';

describe('getItemSchema', () => {
  it('defaults the padding to none', () => {
    expect(getItemSchema.parse({ sku: 'JNC-MUG' })).toEqual({ sku: 'JNC-MUG', paddingBytes: 0 });
  });

  it('accepts padding from 0 to 256 KiB', () => {
    for (const paddingBytes of [0, 64, 4096, MAX_PADDING_BYTES]) {
      expect(getItemSchema.safeParse({ sku: 'JNC-MUG', paddingBytes }).success).toBe(true);
    }
  });

  it('rejects negative, fractional and oversized padding', () => {
    for (const paddingBytes of [-1, 1.5, MAX_PADDING_BYTES + 1]) {
      expect(getItemSchema.safeParse({ sku: 'JNC-MUG', paddingBytes }).success).toBe(false);
    }
  });
});

describe('itemQuerySchema', () => {
  it('reads ?padding=N from the query string', () => {
    expect(itemQuerySchema.parse({ padding: '4096' })).toEqual({ padding: 4096 });
    expect(itemQuerySchema.parse({})).toEqual({ padding: 0 });
  });

  it('rejects a padding that is not a whole number in range', () => {
    for (const padding of ['lots', '-5', '2.5', String(MAX_PADDING_BYTES + 1)]) {
      expect(itemQuerySchema.safeParse({ padding }).success).toBe(false);
    }
  });
});
