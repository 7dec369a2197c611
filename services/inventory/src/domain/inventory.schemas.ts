import { z } from 'zod';

export const skuSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'must be a SKU such as JNC-MUG');
export const orderIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an order id');

export const reserveSchema = z.object({
  orderId: orderIdSchema,
  lines: z
    .array(z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(1000) }))
    .min(1, 'at least one line')
    .max(50),
});

export const releaseSchema = z.object({ orderId: orderIdSchema });
/** The most filler bytes a GetItem may ask for (benchmarks: 64 B, 4 KiB and 256 KiB replies). */
export const MAX_PADDING_BYTES = 256 * 1024;
const paddingBytesSchema = z.number().int().min(0).max(MAX_PADDING_BYTES);

/** GetItem over gRPC and AMQP request-reply: `{ sku, paddingBytes? }`. */
export const getItemSchema = z.object({
  sku: skuSchema,
  paddingBytes: paddingBytesSchema.default(0),
});
/** GET /inventory/items/:sku — the path. */
export const itemPathSchema = z.object({ sku: skuSchema });
/** GET /inventory/items/:sku?padding=N — the query string. */
export const itemQuerySchema = z.object({
  padding: z.coerce.number().pipe(paddingBytesSchema).default(0),
});
