import { z } from 'zod';
import { PAYMENT_STATUSES } from '../../../domain/payment';
import { orderIdSchema } from '../fields.schemas';

/** GET /payments/:orderId — the path. */
export const paymentPathSchema = z.object({ orderId: orderIdSchema });

export const paymentSchema = z
  .object({
    orderId: z.string(),
    userId: z.string(),
    amountCents: z.number().int(),
    status: z.enum(PAYMENT_STATUSES),
    declineReason: z.string().meta({ description: 'Why it was declined; empty otherwise' }),
  })
  .meta({ id: 'Payment' });
