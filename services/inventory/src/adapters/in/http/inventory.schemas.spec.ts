import { MAX_PADDING_BYTES } from '../reply-padding';
import { itemQuerySchema } from './inventory.schemas';

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
