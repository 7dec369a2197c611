import { randomUUID } from 'node:crypto';
import { DomainError } from '@junction/platform';
import { type ConfirmChannel, type Message, type Options } from 'amqplib';

/** The header that tells a returned message from the others in flight on its channel. */
const PUBLISH_ID_HEADER = 'x-junction-publish-id';

/** What the broker did with a confirmed publish: took it to a queue, or returned it (mandatory). */
export type PublishOutcome = 'routed' | 'returned';

/** How a ConfirmedChannel learns about the connection's flow control and its own breakage. */
export interface ConfirmedChannelSetup {
  /** How long a publish waits for its confirm (and for write room, or the end of a block). */
  readonly confirmTimeoutMs: number;
  /** Why the broker blocks the connection's publishes, if it does. */
  blockedReason(): string | undefined;
  /** Resolves true once unblocked, false after `ms` if still blocked. */
  whenUnblocked(ms: number): Promise<boolean>;
  /** A confirm never came on a connection that is not blocked: the channel is to be replaced. */
  broken(reason: string): void;
}

/**
 * Publisher confirms on one channel, each bounded in time: a publish resolves once the broker
 * confirmed it (telling a mandatory publish it returned from one it routed), and rejects with
 * `unavailable` when the broker nacks it, when no confirm comes within the timeout (the channel
 * is then reported broken, to be closed and opened anew), or when the broker blocks publishing
 * (a resource alarm) for longer than that. A full write buffer (`publish` answered false) makes
 * the next publishes wait for the channel's `drain`, within the same bound.
 *
 * Written here because amqplib's confirm callbacks have no timeout and its returns carry no
 * reference to the publish they belong to.
 */
export class ConfirmedChannel {
  /** Returned messages by their publish id, not yet matched to their confirm. */
  private readonly returned = new Set<string>();
  private drained: Promise<void> | undefined;
  private failed: string | undefined;

  constructor(
    readonly channel: ConfirmChannel,
    private readonly setup: ConfirmedChannelSetup,
  ) {
    channel.on('return', (message: Message) => {
      const id: unknown = message.properties.headers?.[PUBLISH_ID_HEADER];
      if (typeof id === 'string') this.returned.add(id);
    });
    channel.on('drain', () => {
      this.drained = undefined;
    });
  }

  async publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<PublishOutcome> {
    const deadline = Date.now() + this.setup.confirmTimeoutMs;
    // Checked again after each wait: publishes waiting together must not all write at once.
    do await this.writable(deadline);
    while (this.drained);
    const id = randomUUID();
    const headers: Record<string, unknown> = {
      ...(options.headers as Record<string, unknown> | undefined),
      [PUBLISH_ID_HEADER]: id,
    };
    return new Promise<PublishOutcome>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(
        () => {
          if (settled) return;
          settled = true;
          this.returned.delete(id);
          const blocked = this.setup.blockedReason();
          // A blocked broker is alive: its confirm comes after the alarm, the channel is fine.
          if (!blocked) this.break(`no confirm within ${String(this.setup.confirmTimeoutMs)} ms`);
          reject(
            new DomainError(
              'unavailable',
              blocked
                ? `message broker blocks publishing (${blocked}); not confirmed in time`
                : 'message broker did not confirm the publish in time',
            ),
          );
        },
        Math.max(0, deadline - Date.now()),
      );
      const confirmed = (error: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const wasReturned = this.returned.delete(id);
        if (error)
          reject(new DomainError('unavailable', 'message broker did not confirm the publish'));
        // RabbitMQ sends basic.return before the basic.ack of the same message.
        else resolve(wasReturned ? 'returned' : 'routed');
      };
      let accepted: boolean;
      try {
        accepted = this.channel.publish(
          exchange,
          routingKey,
          content,
          { ...options, headers },
          confirmed,
        );
      } catch (error) {
        // The channel closed (IllegalOperationError): nothing was sent.
        confirmed(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (!accepted) this.drained ??= this.waitForDrain();
    });
  }

  /** Room to write and no block, by `deadline`; otherwise `unavailable` without sending. */
  private async writable(deadline: number): Promise<void> {
    if (this.failed) throw new DomainError('unavailable', `broker channel failed: ${this.failed}`);
    if (this.setup.blockedReason() !== undefined) {
      const unblocked = await this.setup.whenUnblocked(Math.max(0, deadline - Date.now()));
      if (!unblocked) {
        throw new DomainError(
          'unavailable',
          `message broker blocks publishing (${this.setup.blockedReason() ?? 'blocked'})`,
        );
      }
    }
    const drained = this.drained;
    if (!drained) return;
    const inTime = await Promise.race([
      drained.then(() => true),
      sleep(Math.max(0, deadline - Date.now())).then(() => false),
    ]);
    if (!inTime) {
      throw new DomainError(
        'unavailable',
        'message broker is not taking publishes (write buffer full)',
      );
    }
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      this.channel.once('drain', () => {
        resolve();
      });
      this.channel.once('close', () => {
        resolve();
      });
    });
  }

  private break(reason: string): void {
    if (this.failed) return;
    this.failed = reason;
    this.setup.broken(reason);
  }
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
