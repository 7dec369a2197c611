import { DomainError } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { OrdersConfig } from '../../../config';

/** How soon a refused stream may try again: about as long as an open one takes to recheck. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The event streams this process has open, per user and in all: each open stream holds a socket,
 * a listener and two timers, so both are capped (EVENT_STREAMS_PER_USER, _PER_PROCESS) and one
 * beyond a cap is refused with 429 and Retry-After before it starts.
 */
@Injectable()
export class OpenStreams {
  private total = 0;
  private readonly perUser = new Map<string, number>();

  constructor(private readonly config: OrdersConfig) {}

  /** Takes a slot for one stream of `userId`; answers the function that gives it back (once). */
  open(userId: string): () => void {
    const { perUser, perProcess } = this.config.eventStreams;
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= perUser) {
      throw new DomainError(
        'rate_limited',
        `at most ${String(perUser)} event streams at once per user`,
        [],
        RETRY_AFTER_SECONDS,
      );
    }
    if (this.total >= perProcess) {
      throw new DomainError('rate_limited', 'too many event streams open', [], RETRY_AFTER_SECONDS);
    }
    this.total += 1;
    this.perUser.set(userId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  get size(): number {
    return this.total;
  }
}
