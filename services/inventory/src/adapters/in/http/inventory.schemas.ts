import { z } from 'zod';
import { skuSchema } from '../fields.schemas';
import { paddingBytesSchema } from '../reply-padding';

/** GET /inventory/items/:sku — the path. */
export const itemPathSchema = z.object({ sku: skuSchema });

/** GET /inventory/items/:sku?padding=N — the query string. */
export const itemQuerySchema = z.object({
  padding: z.coerce.number().pipe(paddingBytesSchema).default(0),
});
