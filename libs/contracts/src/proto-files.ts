import { join } from 'node:path';

/** Where the .proto sources ship: copied into dist/proto by this library's build. */
export const PROTO_ROOT = join(__dirname, 'proto');

/** The gRPC service definitions, as proto-loader (and so Nest and reflection) loads them. */
export const GRPC_SERVICES = {
  user: {
    package: 'junction.user.v1',
    service: 'UserService',
    protoFile: 'junction/user/v1/user.proto',
  },
  inventory: {
    package: 'junction.inventory.v1',
    service: 'InventoryService',
    protoFile: 'junction/inventory/v1/inventory.proto',
  },
  payment: {
    package: 'junction.payment.v1',
    service: 'PaymentService',
    protoFile: 'junction/payment/v1/payment.proto',
  },
} as const;

export type GrpcServiceName = keyof typeof GRPC_SERVICES;
export type GrpcServiceInfo = (typeof GRPC_SERVICES)[GrpcServiceName];
