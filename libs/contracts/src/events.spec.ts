import {
  inventoryRejectedSchema,
  inventoryReservedSchema,
  orderPlacedSchema,
  paymentCapturedSchema,
  paymentDeclinedSchema,
} from './events';
import { OrderPlaced } from './generated/junction/orders/v1/events.pb';
import { InventoryRejected, InventoryReserved } from './generated/junction/inventory/v1/events.pb';
import { PaymentCaptured, PaymentDeclined } from './generated/junction/payment/v1/events.pb';

const pairs = [
  ['order.placed', orderPlacedSchema, OrderPlaced],
  ['inventory.reserved', inventoryReservedSchema, InventoryReserved],
  ['inventory.rejected', inventoryRejectedSchema, InventoryRejected],
  ['payment.captured', paymentCapturedSchema, PaymentCaptured],
  ['payment.declined', paymentDeclinedSchema, PaymentDeclined],
] as const;

describe('event schemas', () => {
  it.each(pairs)('%s validates exactly the fields of its proto message', (_, schema, message) => {
    const protoFields = Object.keys(message.fromJSON({})).sort();
    expect(Object.keys(schema.shape).sort()).toEqual(protoFields);
  });

  it('accepts the proto3 JSON that the generated code writes', () => {
    const json = OrderPlaced.toJSON({
      messageId: 'order.placed:o-1',
      type: 'order.placed',
      occurredAt: '2026-11-21T10:00:00.000Z',
      orderId: 'o-1',
      userId: 'u-1',
      lines: [{ sku: 'JNC-MUG', quantity: 2 }],
      paymentMethod: 'pm_card_ok',
    });
    expect(orderPlacedSchema.safeParse(json).success).toBe(true);
  });

  it('rejects a payload with a bad SKU and names the field', () => {
    const result = orderPlacedSchema.safeParse({
      messageId: 'm',
      type: 'order.placed',
      occurredAt: '2026-11-21T10:00:00Z',
      orderId: 'o-1',
      userId: 'u-1',
      lines: [{ sku: 'not a sku', quantity: 1 }],
      paymentMethod: 'pm_card_ok',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['lines', 0, 'sku']);
  });
});
