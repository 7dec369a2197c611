import {
  env,
  jwtVerifierEnv,
  jwtVerifierSettings,
  PlatformConfig,
  platformEnv,
} from '@junction/platform';
import { type z } from 'zod';

const schema = platformEnv.extend({
  HTTP_PORT: env.port(3004),
  GRPC_PORT: env.port(50054),
  ...jwtVerifierEnv,
});

export class PaymentConfig extends PlatformConfig {
  static readonly env = schema;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly jwt: { readonly jwksUrl: string; readonly issuer: string; readonly audience: string };

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.grpcPort = e.GRPC_PORT;
    this.jwt = jwtVerifierSettings(e);
  }
}
