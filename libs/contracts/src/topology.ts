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
