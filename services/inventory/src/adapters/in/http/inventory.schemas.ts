import { z } from 'zod';
import { skuSchema } from '../fields.schemas';
import { paddingBytesSchema } from '../reply-padding';

/** GET /inventory/items/:sku — the path. */
export const itemPathSchema = z.object({ sku: skuSchema });

/** GET /inventory/items/:sku?padding=N — the query string. */
export const itemQuerySchema = z.object({
  padding: z.coerce.number().pipe(paddingBytesSchema).default(0).meta({
    description:
      'Benchmarks: N filler bytes in the reply. Off (400) unless the service allows N (REPLY_PADDING_MAX_BYTES)',
  }),
});

export const stockedItemSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    priceCents: z.number().int(),
    available: z.number().int().meta({ description: 'Stock still available to reserve' }),
  })
  .meta({ id: 'StockedItem' });

/** GET /inventory/items/:sku: the item, with `padding` when the query asked for some. */
export const itemReplySchema = stockedItemSchema
  .extend({
    padding: z
      .string()
      .optional()
      .meta({ description: '?padding=N: N filler bytes, base64 as in proto3 JSON (benchmarks)' }),
  })
  .meta({ id: 'ItemReply' });
