// DO NOT EDIT: generated from topology.yaml by `npm run topology:generate`.
/** Per gRPC service, the methods a client may retry: a repeated call has one effect. */
export const IDEMPOTENT_GRPC_METHODS: Readonly<Record<string, readonly string[]>> = {
  'junction.user.v1.UserService': ['getUser', 'verifyCredentials'],
  'junction.payment.v1.PaymentService': ['charge', 'refund'],
  'junction.inventory.v1.InventoryService': ['getItem', 'reserve', 'release'],
};
