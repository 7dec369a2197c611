import { z } from 'zod';
import { orderLinesSchema as lines } from './order-lines';

/**
 * Validation for the event payloads of proto/ as they travel: proto3 JSON (camelCase, enums by
 * name, Timestamp as RFC 3339). The proto message is the shape; these add the rules a consumer
 * relies on. Keep each in step with its .proto message (a spec checks the field names). The
 * lines of an order obey the same limits as at the edge (order-lines.ts).
 */
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an id');

const envelope = <T extends string>(type: T) => ({
  messageId: z.string().min(1).max(200),
  type: z.literal(type),
  occurredAt: z.iso.datetime({ offset: true }),
});

export const ROUTING_KEYS = {
  orderPlaced: 'order.placed',
  inventoryReserved: 'inventory.reserved',
  inventoryRejected: 'inventory.rejected',
  paymentCaptured: 'payment.captured',
  paymentDeclined: 'payment.declined',
} as const;

export const orderPlacedSchema = z.object({
  ...envelope(ROUTING_KEYS.orderPlaced),
  orderId: id,
  userId: id,
  lines,
  paymentMethod: z.string().min(1).max(64),
});

export const inventoryReservedSchema = z.object({
  ...envelope(ROUTING_KEYS.inventoryReserved),
  orderId: id,
  userId: id,
  totalCents: z.number().int().min(0),
  paymentMethod: z.string().min(1).max(64),
  lines,
});

export const inventoryRejectedSchema = z.object({
  ...envelope(ROUTING_KEYS.inventoryRejected),
  orderId: id,
  reason: z.string().min(1).max(64),
});

export const paymentCapturedSchema = z.object({
  ...envelope(ROUTING_KEYS.paymentCaptured),
  orderId: id,
  amountCents: z.number().int().min(0),
});

export const paymentDeclinedSchema = z.object({
  ...envelope(ROUTING_KEYS.paymentDeclined),
  orderId: id,
  reason: z.string().min(1).max(64),
});

export type OrderPlacedEvent = z.output<typeof orderPlacedSchema>;
export type InventoryReservedEvent = z.output<typeof inventoryReservedSchema>;
export type InventoryRejectedEvent = z.output<typeof inventoryRejectedSchema>;
export type PaymentCapturedEvent = z.output<typeof paymentCapturedSchema>;
export type PaymentDeclinedEvent = z.output<typeof paymentDeclinedSchema>;
