import { join } from 'node:path';
import { GRPC_SERVICES } from './topology';

/** Where the .proto sources ship: copied into dist/proto by this library's build. */
export const PROTO_ROOT = join(__dirname, 'proto');

/** The gRPC service definitions (generated from topology.yaml into ./topology). */
export { GRPC_SERVICES };

export type GrpcServiceName = keyof typeof GRPC_SERVICES;
export type GrpcServiceInfo = (typeof GRPC_SERVICES)[GrpcServiceName];
