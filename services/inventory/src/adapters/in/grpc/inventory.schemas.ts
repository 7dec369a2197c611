import { orderLinesSchema } from '@junction/contracts';
import { z } from 'zod';
import { orderIdSchema, skuSchema } from '../fields.schemas';
import { paddingBytesSchema } from '../reply-padding';

/**
 * Reserve: `{ orderId, lines: [{ sku, quantity }] }`, its lines within the limits every hop of a
 * checkout shares (libs/contracts ORDER_LIMITS: as many lines, units and one line per SKU as
 * POST /orders accepts).
 */
export const reserveSchema = z.object({ orderId: orderIdSchema, lines: orderLinesSchema });

/** Release: `{ orderId }`. */
export const releaseSchema = z.object({ orderId: orderIdSchema });

/** GetItem over gRPC and AMQP request-reply: `{ sku, paddingBytes? }`. */
export const getItemSchema = z.object({
  sku: skuSchema,
  paddingBytes: paddingBytesSchema.default(0),
});
