// The contracts between services, generated from proto/ (see buf.gen.yaml). Services import
// these and never each other.
export * as userV1 from './user';
export * as inventoryV1 from './inventory';
export * as paymentV1 from './payment';
export * as ordersV1 from './orders';
export {
  GRPC_SERVICES,
  PROTO_ROOT,
  type GrpcServiceInfo,
  type GrpcServiceName,
} from './proto-files';
export * from './events';
export {
  ORDER_LIMITS,
  SKU_PATTERN,
  skuSchema,
  orderLineSchema,
  orderLinesSchema,
  type OrderLineInput,
} from './order-lines';
export { EVENTS } from './event-contracts';
export { EVENT_EXAMPLES } from './event-examples';
export { BROKER_TOPOLOGY, IDEMPOTENT_GRPC_METHODS } from './topology';
export { SPAN_BAGGAGE, type SpanBaggageKey } from './baggage';
