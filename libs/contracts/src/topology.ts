// DO NOT EDIT: generated from topology.yaml by `npm run topology:generate`.

/** The gRPC service definitions, as proto-loader (and so Nest and reflection) loads them. */
export const GRPC_SERVICES = {
  user: {
    package: 'junction.user.v1',
    service: 'UserService',
    protoFile: 'junction/user/v1/user.proto',
  },
  payment: {
    package: 'junction.payment.v1',
    service: 'PaymentService',
    protoFile: 'junction/payment/v1/payment.proto',
  },
  inventory: {
    package: 'junction.inventory.v1',
    service: 'InventoryService',
    protoFile: 'junction/inventory/v1/inventory.proto',
  },
} as const;

/** Per gRPC service, the methods a client may retry: a repeated call has one effect. */
export const IDEMPOTENT_GRPC_METHODS: Readonly<Record<string, readonly string[]>> = {
  'junction.user.v1.UserService': ['getUser', 'verifyCredentials'],
  'junction.payment.v1.PaymentService': ['charge', 'refund'],
  'junction.inventory.v1.InventoryService': ['getItem', 'reserve', 'release'],
};

/**
 * The whole broker topology: the events exchange, every consuming service's queue, retry and
 * parking queues, and a binding per event it consumes (tools/topology/broker.mts). Every service
 * declares all of it on each connection before it publishes or consumes (libs/messaging), so no
 * event is published before its queue exists; the chart's RabbitMQ loads the same at boot.
 */
export const BROKER_TOPOLOGY = {
  exchanges: [{ name: 'junction.events', type: 'topic' }],
  queues: [
    { name: 'orders.events.parking', arguments: { 'x-queue-type': 'quorum' } },
    {
      name: 'orders.events.retry',
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-dead-letter-routing-key': 'orders.events',
      },
    },
    {
      name: 'orders.events',
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': 10,
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-dead-letter-routing-key': 'orders.events.parking',
      },
    },
    { name: 'payment.events.parking', arguments: { 'x-queue-type': 'quorum' } },
    {
      name: 'payment.events.retry',
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-dead-letter-routing-key': 'payment.events',
      },
    },
    {
      name: 'payment.events',
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': 10,
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-dead-letter-routing-key': 'payment.events.parking',
      },
    },
    { name: 'inventory.events.parking', arguments: { 'x-queue-type': 'quorum' } },
    {
      name: 'inventory.events.retry',
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-dead-letter-routing-key': 'inventory.events',
      },
    },
    {
      name: 'inventory.events',
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': 10,
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-dead-letter-routing-key': 'inventory.events.parking',
      },
    },
  ],
  bindings: [
    { exchange: 'junction.events', queue: 'orders.events', routingKey: 'inventory.rejected' },
    { exchange: 'junction.events', queue: 'orders.events', routingKey: 'payment.captured' },
    { exchange: 'junction.events', queue: 'orders.events', routingKey: 'payment.declined' },
    { exchange: 'junction.events', queue: 'payment.events', routingKey: 'inventory.reserved' },
    { exchange: 'junction.events', queue: 'inventory.events', routingKey: 'order.placed' },
    { exchange: 'junction.events', queue: 'inventory.events', routingKey: 'payment.declined' },
  ],
  publishers: {
    'order.placed': 'orders',
    'payment.captured': 'payment',
    'payment.declined': 'payment',
    'inventory.reserved': 'inventory',
    'inventory.rejected': 'inventory',
  },
} as const;
