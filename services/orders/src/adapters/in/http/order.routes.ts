import { defineRoute } from '@junction/platform';
import { z } from 'zod';
import {
  idempotencyKeySchema,
  orderParamsSchema,
  orderSchema,
  placeOrderSchema,
} from './order.schemas';

const location = { Location: { description: 'The order: /orders/{id}' } };

export const placeOrder = defineRoute({
  operationId: 'placeOrder',
  summary: 'Check out: place an order, blocking or queued',
  description:
    'blocking: reserves stock and charges over gRPC, then answers 201 with the final order (confirmed, or rejected with a reason). queued: stores the order as pending, publishes order.placed and answers 202 at once; GET /orders/{id}/events follows it. The same Idempotency-Key with the same body answers the same order (Idempotent-Replayed: true) and never charges twice.',
  body: placeOrderSchema,
  headers: { 'Idempotency-Key': idempotencyKeySchema },
  responses: {
    201: {
      description: 'blocking: the final order',
      body: orderSchema,
      headers: {
        ...location,
        'Idempotent-Replayed': { description: '"true" when the Idempotency-Key replayed an order' },
      },
    },
    202: {
      description: 'queued: the pending order',
      body: orderSchema,
      headers: {
        ...location,
        'Idempotent-Replayed': { description: '"true" when the Idempotency-Key replayed an order' },
      },
    },
  },
  errors: {
    conflict: 'The Idempotency-Key was used with a different body',
    unavailable:
      'blocking: inventory or payment is unavailable and the order did not go through; try again after Retry-After seconds',
  },
});

export const listOrders = defineRoute({
  operationId: 'listOrders',
  summary: 'The caller’s orders',
  responses: {
    200: {
      description: 'Every order of the caller',
      body: z.object({ orders: z.array(orderSchema) }),
    },
  },
});

export const getOrder = defineRoute({
  operationId: 'getOrder',
  summary: 'One of the caller’s orders',
  params: orderParamsSchema,
  responses: { 200: { description: 'The order', body: orderSchema } },
  errors: { not_found: 'No such order, or not the caller’s' },
});

export const streamOrderEvents = defineRoute({
  operationId: 'streamOrderEvents',
  summary: 'Follow an order: its status changes as Server-Sent Events',
  description:
    'The current state first, then each change (`event: status`, `id:` the history length, `data:` the order), closed at a terminal status (confirmed or rejected).',
  params: orderParamsSchema,
  responses: {
    200: { description: 'The event stream', stream: { event: 'status', data: orderSchema } },
  },
  errors: { not_found: 'No such order, or not the caller’s' },
});
