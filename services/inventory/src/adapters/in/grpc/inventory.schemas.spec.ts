import { MAX_PADDING_BYTES } from '../reply-padding';
import { getItemSchema } from './inventory.schemas';

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
