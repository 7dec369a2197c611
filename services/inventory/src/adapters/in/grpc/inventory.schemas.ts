import { z } from 'zod';
import { orderIdSchema, skuSchema } from '../fields.schemas';
import { paddingBytesSchema } from '../reply-padding';

/** Reserve: `{ orderId, lines: [{ sku, quantity }] }`. */
export const reserveSchema = z.object({
  orderId: orderIdSchema,
  lines: z
    .array(z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(1000) }))
    .min(1, 'at least one line')
    .max(50),
});

/** Release: `{ orderId }`. */
export const releaseSchema = z.object({ orderId: orderIdSchema });

/** GetItem over gRPC and AMQP request-reply: `{ sku, paddingBytes? }`. */
export const getItemSchema = z.object({
  sku: skuSchema,
  paddingBytes: paddingBytesSchema.default(0),
});
