import { env, GrpcServiceConfig, grpcServiceEnv } from '@junction/platform';
import { type z } from 'zod';

const schema = grpcServiceEnv({ http: 3004, grpc: 50054 }).extend({
  /**
   * How long a payment, a void record (an order refunded before any charge) and an entry of the
   * captured index are kept after their latest change; then Redis expires them. They make Charge
   * and Refund idempotent per order and refuse a Charge after a void, so this must outlive every
   * retry, saga deadline and sweep of an order (minutes); a refund later than this finds no
   * payment. At least a day; default 30 d.
   */
  PAYMENT_RETENTION_SECONDS: env.count(30 * 86_400, 86_400, 10 * 365 * 86_400),
});

/** HTTP_PORT, GRPC_PORT, the JWKS settings, the platform's variables (see libs/platform), and PAYMENT_RETENTION_SECONDS. */
export class PaymentConfig extends GrpcServiceConfig {
  static readonly env = schema;
  readonly paymentRetentionSeconds: number;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.paymentRetentionSeconds = e.PAYMENT_RETENTION_SECONDS;
  }
}
