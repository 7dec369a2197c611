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
export const getItemSchema = z.object({ sku: skuSchema });
