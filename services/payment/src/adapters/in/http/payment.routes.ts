import { defineRoute } from '@junction/platform';
import { paymentPathSchema, paymentSchema } from './payment.schemas';

export const getPayment = defineRoute({
  operationId: 'getPayment',
  summary: 'The payment of one of the caller’s orders',
  params: paymentPathSchema,
  responses: { 200: { description: 'The payment', body: paymentSchema } },
  errors: { not_found: 'No payment for the order, or not the caller’s' },
});
