import { z } from 'zod';

/**
 * Fields the gRPC requests and the REST path share: one definition each. A SKU is what every
 * service calls a SKU (libs/contracts).
 */
export { skuSchema } from '@junction/contracts';

export const orderIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an order id');
