import {
  env,
  jwtVerifierEnv,
  jwtVerifierSettings,
  PlatformConfig,
  platformEnv,
} from '@junction/platform';
import { type z } from 'zod';

const schema = platformEnv.extend({
  HTTP_PORT: env.port(3003),
  INVENTORY_GRPC_TARGET: env.grpcTarget('127.0.0.1:50055'),
  PAYMENT_GRPC_TARGET: env.grpcTarget('127.0.0.1:50054'),
  /** Deadline of each gRPC call on the blocking path. */
  GRPC_DEADLINE_MS: env.milliseconds(2_000),
  /** The whole blocking checkout (reserve, charge, release): each call gets what is left. */
  CHECKOUT_BUDGET_MS: env.milliseconds(5_000),
  ...jwtVerifierEnv,
});

export class OrdersConfig extends PlatformConfig {
  static readonly env = schema;
  readonly httpPort: number;
  readonly inventoryGrpcTarget: string;
  readonly paymentGrpcTarget: string;
  readonly grpcDeadlineMs: number;
  readonly checkoutBudgetMs: number;
  readonly jwt: ReturnType<typeof jwtVerifierSettings>;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.inventoryGrpcTarget = e.INVENTORY_GRPC_TARGET;
    this.paymentGrpcTarget = e.PAYMENT_GRPC_TARGET;
    this.grpcDeadlineMs = e.GRPC_DEADLINE_MS;
    this.checkoutBudgetMs = e.CHECKOUT_BUDGET_MS;
    this.jwt = jwtVerifierSettings(e);
  }
}
