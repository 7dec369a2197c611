import { GrpcServiceConfig, grpcServiceEnv } from '@junction/platform';

/** HTTP_PORT, GRPC_PORT, the JWKS settings, and the platform's variables (see libs/platform). */
export class PaymentConfig extends GrpcServiceConfig {
  static readonly env = grpcServiceEnv({ http: 3004, grpc: 50054 });
}
