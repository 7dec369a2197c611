import { ORDER_LIMITS } from '@junction/contracts';
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
    'blocking: reserves stock and charges over gRPC, then answers 201 with the final order (confirmed, or rejected with a reason). queued: stores the order as pending, publishes order.placed and answers 202 at once; GET /orders/{id}/events follows it. The same Idempotency-Key with the same body answers the same order (Idempotent-Replayed: true) and never charges twice. An earlier attempt that failed for a transient reason (its answer was a 503, or none: the order was rejected as inventory_/payment_unavailable or _failed, interrupted or timeout) is not replayed: the retry is a fresh attempt under the same key. A retry while the earlier blocking attempt is still running waits for it, and answers 503 with Retry-After if it has not ended within 10 s. A queued order still pending after QUEUED_ORDER_DEADLINE_MS (default 5 min) is rejected as timeout, its stock released and any payment refunded.',
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
    invalid_argument: `The input is invalid; \`violations\` lists every field that is wrong. The lines obey the limits every service shares: 1 to ${String(ORDER_LIMITS.maxLines)} lines, 1 to ${String(ORDER_LIMITS.maxQuantity)} units each, one line per SKU (a SKU on a second line is named, e.g. lines.1.sku). Nothing was stored or reserved`,
    conflict: 'The Idempotency-Key was used with a different body',
    unavailable:
      'blocking: inventory or payment is unavailable and the order did not go through, or an earlier request with this Idempotency-Key is still running; try again after Retry-After seconds',
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
    'The current state first, then each change (`event: status`, `id:` the history length, `data:` the order), closed at a terminal status (confirmed or rejected). A user may have a few streams open at once (EVENT_STREAMS_PER_USER, default 8); more answer 429 with Retry-After.',
  params: orderParamsSchema,
  responses: {
    200: { description: 'The event stream', stream: { event: 'status', data: orderSchema } },
  },
  errors: {
    not_found: 'No such order, or not the caller’s',
    rate_limited: 'Too many event streams open (per user, or in this orders process)',
  },
});
