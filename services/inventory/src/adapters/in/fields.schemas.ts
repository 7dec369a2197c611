import { z } from 'zod';

/** Fields the gRPC requests and the REST path share: one definition each. */
export const skuSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'must be a SKU such as JNC-MUG');

export const orderIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an order id');
