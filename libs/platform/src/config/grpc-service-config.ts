import { type z } from 'zod';
import { env, jwtVerifierEnv, jwtVerifierSettings, PlatformConfig, platformEnv } from './env';

/** The env of a service that serves REST and gRPC and verifies access tokens. */
export function grpcServiceEnv(ports: { readonly http: number; readonly grpc: number }) {
  return platformEnv.extend({
    HTTP_PORT: env.port(ports.http),
    GRPC_PORT: env.port(ports.grpc),
    ...jwtVerifierEnv,
  });
}

export type GrpcServiceEnv = z.output<ReturnType<typeof grpcServiceEnv>>;

/**
 * Config of a service that serves REST and gRPC and verifies access tokens (user, payment,
 * inventory). A service with nothing more to configure is just
 * `class XConfig extends GrpcServiceConfig { static readonly env = grpcServiceEnv({...}) }`.
 */
export class GrpcServiceConfig extends PlatformConfig {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly jwt: ReturnType<typeof jwtVerifierSettings>;

  constructor(e: GrpcServiceEnv) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.grpcPort = e.GRPC_PORT;
    this.jwt = jwtVerifierSettings(e);
  }
}
