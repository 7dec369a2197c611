import { z } from 'zod';
import { orderIdSchema } from '../fields.schemas';

/** GET /payments/:orderId — the path. */
export const paymentPathSchema = z.object({ orderId: orderIdSchema });
