import { DomainError } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { InventoryConfig, MAX_PADDING_BYTES } from '../../config';

export { MAX_PADDING_BYTES };

/**
 * Bench padding, a lab feature of the inbound adapters (never of the domain): GetItem over REST
 * (`?padding=N`), gRPC and AMQP request-reply may ask for N filler bytes in the reply, so one read
 * can be measured at several sizes. The adapters add them to what the domain returned. Off unless
 * REPLY_PADDING_MAX_BYTES allows it (the bench sets it; a deployment leaves it at 0).
 */

export const paddingBytesSchema = z.number().int().min(0).max(MAX_PADDING_BYTES);

/** One filler buffer for every padded reply; replies are views of it (it is never written). */
const FILLER = Buffer.alloc(MAX_PADDING_BYTES, 'junction-padding-');

/** `bytes` bytes of filler, without copying. */
export function paddingOf(bytes: number): Buffer {
  return FILLER.subarray(0, bytes);
}

/** The padding this process allows (REPLY_PADDING_MAX_BYTES), for the three GetItem adapters. */
@Injectable()
export class ReplyPadding {
  private readonly maxBytes: number;

  constructor(config: InventoryConfig) {
    this.maxBytes = config.replyPaddingMaxBytes;
  }

  /** `bytes` bytes of filler; more than allowed is the caller's error (invalid_argument). */
  of(bytes: number): Buffer {
    if (bytes > this.maxBytes) {
      throw new DomainError(
        'invalid_argument',
        this.maxBytes === 0
          ? 'padding is turned off here (REPLY_PADDING_MAX_BYTES=0; it is a bench feature)'
          : `padding: at most ${String(this.maxBytes)} bytes here (REPLY_PADDING_MAX_BYTES)`,
      );
    }
    return paddingOf(bytes);
  }
}
