import {
  type InventoryRejectedEvent,
  type InventoryReservedEvent,
  type OrderPlacedEvent,
  type PaymentCapturedEvent,
  type PaymentDeclinedEvent,
  ROUTING_KEYS,
} from './events';

/**
 * One valid instance of each event, keyed by routing key: what a consumer's tests start from
 * (copy it, change the ids). events.spec.ts checks each against its schema and proto message.
 * A new event (`nx g @junction/tools:service --publishes`) gets its example here too.
 */
export const EVENT_EXAMPLES = {
  [ROUTING_KEYS.orderPlaced]: {
    messageId: 'order.placed:order-1',
    type: ROUTING_KEYS.orderPlaced,
    occurredAt: '2026-11-21T10:00:00.000Z',
    orderId: 'order-1',
    userId: 'user-1',
    lines: [{ sku: 'JNC-MUG', quantity: 1 }],
    paymentMethod: 'pm_card_ok',
  } satisfies OrderPlacedEvent,
  [ROUTING_KEYS.inventoryReserved]: {
    messageId: 'inventory.reserved:order-1',
    type: ROUTING_KEYS.inventoryReserved,
    occurredAt: '2026-11-21T10:00:00.000Z',
    orderId: 'order-1',
    userId: 'user-1',
    totalCents: 1200,
    paymentMethod: 'pm_card_ok',
    lines: [{ sku: 'JNC-MUG', quantity: 1 }],
  } satisfies InventoryReservedEvent,
  [ROUTING_KEYS.inventoryRejected]: {
    messageId: 'inventory.rejected:order-1',
    type: ROUTING_KEYS.inventoryRejected,
    occurredAt: '2026-11-21T10:00:00.000Z',
    orderId: 'order-1',
    reason: 'out_of_stock',
  } satisfies InventoryRejectedEvent,
  [ROUTING_KEYS.paymentCaptured]: {
    messageId: 'payment.captured:order-1',
    type: ROUTING_KEYS.paymentCaptured,
    occurredAt: '2026-11-21T10:00:00.000Z',
    orderId: 'order-1',
    amountCents: 1200,
  } satisfies PaymentCapturedEvent,
  [ROUTING_KEYS.paymentDeclined]: {
    messageId: 'payment.declined:order-1',
    type: ROUTING_KEYS.paymentDeclined,
    occurredAt: '2026-11-21T10:00:00.000Z',
    orderId: 'order-1',
    reason: 'card_declined',
  } satisfies PaymentDeclinedEvent,
};
