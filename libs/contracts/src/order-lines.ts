import { z } from 'zod';

/**
 * What one order may hold, the same at every hop of both checkout paths: POST /orders, the
 * order.placed and inventory.reserved events, and inventory's Reserve over gRPC. Declared once,
 * so an order that orders accepts is never refused further down the saga (and parked, with its
 * stock held), and a limit changed here changes everywhere.
 */
export const ORDER_LIMITS = {
  /** Lines in one order. */
  maxLines: 20,
  /** Units on one line, and so of one SKU in one order (one line per SKU). */
  maxQuantity: 100,
} as const;

/** A SKU: capitals, digits and dashes, such as JNC-MUG. */
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,31}$/;

export const skuSchema = z.string().regex(SKU_PATTERN, 'must be a SKU such as JNC-MUG');

export const orderLineSchema = z.object({
  sku: skuSchema,
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(ORDER_LIMITS.maxQuantity, `must be at most ${String(ORDER_LIMITS.maxQuantity)}`),
});

/**
 * The lines of an order: 1 to maxLines, one per SKU. A SKU on two lines is refused (naming the
 * later line's `sku`), not merged: the caller says what it means, and the per-line quantity
 * limit is the limit per SKU.
 */
export const orderLinesSchema = z
  .array(orderLineSchema)
  .min(1, 'must have at least one line')
  .max(ORDER_LIMITS.maxLines, `must have at most ${String(ORDER_LIMITS.maxLines)} lines`)
  .superRefine((lines, context) => {
    const seen = new Set<string>();
    lines.forEach((line, index) => {
      if (seen.has(line.sku)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'sku'],
          message: `${line.sku} is on an earlier line: one line per SKU, with its whole quantity`,
        });
      }
      seen.add(line.sku);
    });
  });

export type OrderLineInput = z.output<typeof orderLineSchema>;
