import { defineRoute } from '@junction/platform';
import { z } from 'zod';
import {
  itemPathSchema,
  itemQuerySchema,
  itemReplySchema,
  stockedItemSchema,
} from './inventory.schemas';

export const listItems = defineRoute({
  operationId: 'listItems',
  summary: 'The catalog, with the stock available',
  responses: {
    200: { description: 'Every item', body: z.object({ items: z.array(stockedItemSchema) }) },
  },
});

export const getItem = defineRoute({
  operationId: 'getItem',
  summary: 'One item of the catalog',
  params: itemPathSchema,
  query: itemQuerySchema,
  responses: { 200: { description: 'The item', body: itemReplySchema } },
  errors: { not_found: 'No item with this SKU' },
});
