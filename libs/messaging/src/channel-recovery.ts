import { type ChannelModel } from 'amqplib';
import { type ChannelHealth } from './channel-health';
import { type AmqpConnection } from './connection';

const MAX_REOPEN_DELAY_MS = 2_000;

export interface Reopening {
  readonly connection: AmqpConnection;
  /** The connection the channel was on: once it is gone, its reconnect opens a new one. */
  readonly model: ChannelModel;
  readonly health: ChannelHealth;
  /** Opens and sets up the channel again; a rejection is retried. */
  open(): Promise<void>;
  /** Someone else took over (a stop, another recovery): no more attempts. */
  done(): boolean;
}

/**
 * Opens a channel again after the broker closed it (or it was found broken) while the connection
 * stays up, with capped exponential backoff, until it works, the user stops, or the connection
 * goes (then its reconnect opens the channel). amqplib reopens nothing by itself.
 */
export async function reopenWithBackoff(reopening: Reopening): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await sleep(Math.min(100 * 2 ** attempt, MAX_REOPEN_DELAY_MS));
    if (!reopening.connection.isCurrent(reopening.model) || reopening.done()) return;
    try {
      await reopening.open();
      return;
    } catch (error) {
      reopening.health.retryFailed(error instanceof Error ? error.message : String(error));
    }
  }
}

/**
 * `opening`, or a rejection after `ms` (the broker does not answer): what it opens late is
 * handed to `late` (to be closed), so no channel is left behind.
 */
export function openedWithin<T>(
  opening: Promise<T>,
  ms: number,
  late: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`the broker did not open the channel within ${String(ms)} ms`));
    }, ms);
    opening.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) late(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
