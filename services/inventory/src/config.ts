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
});

/** HTTP_PORT, GRPC_PORT, the JWKS settings, REPLY_PADDING_MAX_BYTES, and the platform's variables. */
export class InventoryConfig extends GrpcServiceConfig {
  static readonly env = schema;
  readonly replyPaddingMaxBytes: number;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.replyPaddingMaxBytes = e.REPLY_PADDING_MAX_BYTES;
  }
}
