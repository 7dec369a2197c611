import { ORDER_LIMITS } from '@junction/contracts';
import { MAX_PADDING_BYTES } from '../reply-padding';
import { getItemSchema, reserveSchema } from './inventory.schemas';

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

describe('reserveSchema', () => {
  const reserve = (lines: { sku: string; quantity: number }[]) =>
    reserveSchema.safeParse({ orderId: 'o-1', lines });

  it('accepts the lines POST /orders accepts', () => {
    expect(reserve([{ sku: 'JNC-MUG', quantity: ORDER_LIMITS.maxQuantity }]).success).toBe(true);
  });

  it('refuses a line over the shared quantity limit, which orders refuses too', () => {
    const result = reserve([{ sku: 'JNC-MUG', quantity: ORDER_LIMITS.maxQuantity + 1 }]);
    expect(result.error?.issues[0]?.path).toEqual(['lines', 0, 'quantity']);
  });

  it('refuses a SKU on two lines, whose sum could pass no later hop', () => {
    const result = reserve([
      { sku: 'JNC-MUG', quantity: 100 },
      { sku: 'JNC-MUG', quantity: 100 },
    ]);
    expect(result.error?.issues[0]?.path).toEqual(['lines', 1, 'sku']);
  });
});
