import { z } from 'zod';

/**
 * Bench padding, a lab feature of the inbound adapters (never of the domain): GetItem over REST
 * (`?padding=N`), gRPC and AMQP request-reply may ask for N filler bytes in the reply, so one read
 * can be measured at several sizes. The adapters add them to what the domain returned.
 */

/** The most filler bytes a GetItem may ask for (benchmarks: 64 B, 4 KiB and 256 KiB replies). */
export const MAX_PADDING_BYTES = 256 * 1024;

export const paddingBytesSchema = z.number().int().min(0).max(MAX_PADDING_BYTES);

/** One filler buffer for every padded reply; replies are views of it (it is never written). */
const FILLER = Buffer.alloc(MAX_PADDING_BYTES, 'junction-padding-');

/** `bytes` bytes of filler, without copying. */
export function paddingOf(bytes: number): Buffer {
  return FILLER.subarray(0, bytes);
}
