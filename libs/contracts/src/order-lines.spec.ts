import { inventoryReservedSchema, orderPlacedSchema } from './events';
import { ORDER_LIMITS, orderLinesSchema } from './order-lines';

const line = (sku: string, quantity = 1) => ({ sku, quantity });

/** The largest order the limits allow: maxLines distinct SKUs of maxQuantity each. */
function largestOrder() {
  return Array.from({ length: ORDER_LIMITS.maxLines }, (_, i) =>
    line(`SKU-${String(i)}`, ORDER_LIMITS.maxQuantity),
  );
}

describe('orderLinesSchema', () => {
  it('accepts the largest order the limits allow', () => {
    expect(orderLinesSchema.safeParse(largestOrder()).success).toBe(true);
  });

  it('refuses a SKU on two lines and names the later line', () => {
    const result = orderLinesSchema.safeParse([line('JNC-MUG'), line('JNC-TEE'), line('JNC-MUG')]);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: [2, 'sku'],
        message: 'JNC-MUG is on an earlier line: one line per SKU, with its whole quantity',
      }),
    ]);
  });

  it('refuses a line over the quantity limit', () => {
    const result = orderLinesSchema.safeParse([line('JNC-MUG', ORDER_LIMITS.maxQuantity + 1)]);
    expect(result.error?.issues[0]).toMatchObject({ path: [0, 'quantity'] });
  });

  it('refuses more lines than the limit', () => {
    const lines = [...largestOrder(), line('ONE-MORE')];
    expect(orderLinesSchema.safeParse(lines).success).toBe(false);
  });

  it('refuses an order of no lines', () => {
    expect(orderLinesSchema.safeParse([]).success).toBe(false);
  });
});

describe('the events of an order', () => {
  const envelope = { messageId: 'm', occurredAt: '2026-11-21T10:00:00Z', orderId: 'o-1' };

  it('carry the largest order the edge accepts, from order.placed to inventory.reserved', () => {
    const lines = largestOrder();
    const placed = { ...envelope, type: 'order.placed', userId: 'u-1', paymentMethod: 'pm_x' };
    expect(orderPlacedSchema.safeParse({ ...placed, lines }).success).toBe(true);
    const reserved = { ...placed, type: 'inventory.reserved', totalCents: 1 };
    expect(inventoryReservedSchema.safeParse({ ...reserved, lines }).success).toBe(true);
  });

  it('refuse what the edge refuses', () => {
    const placed = { ...envelope, type: 'order.placed', userId: 'u-1', paymentMethod: 'pm_x' };
    const lines = [line('JNC-MUG', ORDER_LIMITS.maxQuantity + 1)];
    expect(orderPlacedSchema.safeParse({ ...placed, lines }).success).toBe(false);
  });
});
