import { ORDER_LIMITS, orderLinesSchema } from '@junction/contracts';
import { z } from 'zod';
import { CHECKOUT_MODES, ORDER_STATUSES } from '../../../domain/order';

export const placeOrderSchema = z.object({
  // The limits every hop of the saga shares (libs/contracts): what is accepted here is never
  // refused, and parked, downstream. A SKU on two lines is refused, not merged.
  lines: orderLinesSchema.meta({
    description: `1 to ${String(ORDER_LIMITS.maxLines)} lines, one per SKU (a SKU on two lines is a 400), each of 1 to ${String(ORDER_LIMITS.maxQuantity)} units`,
  }),
  paymentMethod: z
    .string()
    .regex(/^pm_[a-z0-9_]{1,60}$/, 'must be a payment method token such as pm_card_ok'),
  mode: z.enum(CHECKOUT_MODES, { message: 'must be "blocking" or "queued"' }),
});

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits or _ . : -')
  .optional();

export const orderParamsSchema = z.object({ id: z.uuid('must be an order id') });

const orderLineSchema = z.object({ sku: z.string(), quantity: z.number().int() });

export const orderSchema = z
  .object({
    id: z.uuid(),
    userId: z.string(),
    mode: z.enum(CHECKOUT_MODES),
    status: z.enum(ORDER_STATUSES),
    reason: z.string().meta({
      description:
        'Why the order was rejected (out_of_stock, unknown_sku, payment_declined, ...); empty otherwise',
    }),
    lines: z.array(orderLineSchema),
    paymentMethod: z.string(),
    totalCents: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    history: z.array(
      z.object({ status: z.enum(ORDER_STATUSES), reason: z.string(), at: z.iso.datetime() }),
    ),
  })
  .meta({ id: 'Order' });
