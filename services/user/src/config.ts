import { GrpcServiceConfig, grpcServiceEnv } from '@junction/platform';

/** HTTP_PORT, GRPC_PORT, the JWKS settings, and the platform's variables (see libs/platform). */
export class UserConfig extends GrpcServiceConfig {
  static readonly env = grpcServiceEnv({ http: 3002, grpc: 50052 });
}
