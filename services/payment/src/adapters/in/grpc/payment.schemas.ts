import { z } from 'zod';
import { orderIdSchema } from '../fields.schemas';

/** Charge: `{ orderId, userId, amountCents, paymentMethod }`. */
export const chargeSchema = z.object({
  orderId: orderIdSchema,
  userId: z.string().min(1).max(64),
  amountCents: z.number().int().min(1).max(100_000_000),
  paymentMethod: z
    .string()
    .regex(/^pm_[a-z0-9_]{1,60}$/, 'must be a payment method token such as pm_card_ok'),
});

/** Refund: `{ orderId }`. */
export const refundSchema = z.object({ orderId: orderIdSchema });
