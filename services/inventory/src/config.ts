import { env, GrpcServiceConfig, grpcServiceEnv } from '@junction/platform';
import { type z } from 'zod';

/** The most filler bytes a GetItem may ever ask for (benchmarks: 64 B, 4 KiB and 256 KiB replies). */
export const MAX_PADDING_BYTES = 256 * 1024;

const schema = grpcServiceEnv({ http: 3005, grpc: 50055 }).extend({
  /**
   * Bench padding (adapters/in/reply-padding.ts): the most filler bytes a GetItem may ask for.
   * 0, the default, turns it off — the public catalog is read without a token, so a deployment
   * must not let anyone ask for 256 KiB replies; the bench turns it on for its own run.
   */
  REPLY_PADDING_MAX_BYTES: env.count(0, 0, MAX_PADDING_BYTES),
  /**
   * How long a reservation (reserved, rejected or released) is kept after its latest change; then
   * Redis expires it. It makes Reserve and Release idempotent per order and keeps a late Reserve
   * after a Release from taking stock, so it must outlive every retry, saga deadline and sweep
   * of an order (minutes). Inventory is never told that an order ended, so the clock starts at
   * each write. At least a day; default 30 d.
   */
  RESERVATION_RETENTION_SECONDS: env.count(30 * 86_400, 86_400, 10 * 365 * 86_400),
});

/**
 * HTTP_PORT, GRPC_PORT, the JWKS settings, the platform's variables (see libs/platform),
 * REPLY_PADDING_MAX_BYTES and RESERVATION_RETENTION_SECONDS.
 */
export class InventoryConfig extends GrpcServiceConfig {
  static readonly env = schema;
  readonly replyPaddingMaxBytes: number;
  readonly reservationRetentionSeconds: number;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.replyPaddingMaxBytes = e.REPLY_PADDING_MAX_BYTES;
    this.reservationRetentionSeconds = e.RESERVATION_RETENTION_SECONDS;
  }
}
