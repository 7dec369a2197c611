import { env, GrpcServiceConfig, grpcServiceEnv } from '@junction/platform';
import { type z } from 'zod';

const schema = grpcServiceEnv({ http: 3005, grpc: 50055 }).extend({
  /**
   * How long a reservation (reserved, rejected or released) is kept after its latest change; then
   * Redis expires it. It makes Reserve and Release idempotent per order and keeps a late Reserve
   * after a Release from taking stock, so it must outlive every retry, saga deadline and sweep
   * of an order (minutes). Inventory is never told that an order ended, so the clock starts at
   * each write. At least a day; default 30 d.
   */
  RESERVATION_RETENTION_SECONDS: env.count(30 * 86_400, 86_400, 10 * 365 * 86_400),
});

/** HTTP_PORT, GRPC_PORT, the JWKS settings, the platform's variables (see libs/platform), and RESERVATION_RETENTION_SECONDS. */
export class InventoryConfig extends GrpcServiceConfig {
  static readonly env = schema;
  readonly reservationRetentionSeconds: number;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.reservationRetentionSeconds = e.RESERVATION_RETENTION_SECONDS;
  }
}
