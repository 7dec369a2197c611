import {
  inventoryRejectedSchema,
  inventoryReservedSchema,
  orderPlacedSchema,
  paymentCapturedSchema,
  paymentDeclinedSchema,
  ROUTING_KEYS,
} from './events';

/**
 * What a consumer subscribes to: each event's routing key with the schema its payload is checked
 * against, so a handler names one entry and cannot pair a key with another event's schema.
 */
export const EVENTS = {
  orderPlaced: { routingKey: ROUTING_KEYS.orderPlaced, schema: orderPlacedSchema },
  inventoryReserved: {
    routingKey: ROUTING_KEYS.inventoryReserved,
    schema: inventoryReservedSchema,
  },
  inventoryRejected: {
    routingKey: ROUTING_KEYS.inventoryRejected,
    schema: inventoryRejectedSchema,
  },
  paymentCaptured: { routingKey: ROUTING_KEYS.paymentCaptured, schema: paymentCapturedSchema },
  paymentDeclined: { routingKey: ROUTING_KEYS.paymentDeclined, schema: paymentDeclinedSchema },
} as const;
