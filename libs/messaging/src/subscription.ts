import { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { type Logger } from 'pino';
import { type AmqpConnection } from './connection';
import { DeliveryAcks } from './delivery-acks';

/** What a Subscription does with each fresh channel and with each delivery. */
export interface SubscriptionSetup<C extends Channel> {
  /** A new channel on the connection: a plain one, or one with publisher confirms. */
  openChannel(connection: ChannelModel): Promise<C>;
  /**
   * Declares what the queue needs (on the new channel, or on channels of its own of the
   * connection); answers the queue to consume.
   */
  declare(channel: C, connection: ChannelModel): Promise<string>;
  /** Unacked deliveries at once (bounded prefetch). */
  readonly prefetch: number;
  /**
   * Takes one delivery to its end on the channel it arrived on, and calls `ack` once it is done
   * with it (acks are coalesced: DeliveryAcks). It must not reject: a failure to settle (the
   * channel died) is the handler's to log; the broker redelivers whatever was not acked.
   */
  handle(channel: C, message: ConsumeMessage, ack: () => void): Promise<void>;
  readonly logger: Logger;
}

const MAX_RESUBSCRIBE_DELAY_MS = 2_000;

/**
 * One queue consumed on a channel of its own, with manual acks: opened again on every
 * (re)connection; `stop` cancels the consumer, waits for the deliveries being handled, then
 * closes the channel. A consumer the broker cancels (its queue was deleted) is not left gone:
 * the queue is declared again and consumed on a new channel. EventConsumer and RpcServer differ
 * only in what a delivery does.
 */
export class Subscription<C extends Channel> {
  private channel: C | undefined;
  private acks: DeliveryAcks | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
  /** Deliveries being handled, per channel: a retired channel closes once it has none. */
  private readonly inFlightOn = new Map<C, number>();
  /** Channels whose consumer the broker cancelled, with their acks, closed once drained. */
  private readonly retiring = new Map<C, DeliveryAcks>();
  private stopping = false;
  private idle: (() => void) | undefined;
  private drained: Promise<void> | undefined;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly setup: SubscriptionSetup<C>,
  ) {}

  get consuming(): boolean {
    return this.consumerTag !== undefined;
  }

  start(): void {
    this.connection.onConnected((c) => this.open(c));
  }

  /** Stops taking deliveries, waits for the ones being handled, then closes the channel. */
  async stop(): Promise<void> {
    this.stopping = true;
    const channel = this.channel;
    if (channel && this.consumerTag) {
      await channel.cancel(this.consumerTag).catch(() => undefined);
      this.consumerTag = undefined;
    }
    if (this.inFlight > 0) {
      this.drained ??= new Promise<void>((resolve) => {
        this.idle = resolve;
      });
      await this.drained;
    }
    this.acks?.flush();
    await channel?.close().catch(() => undefined);
    this.channel = undefined;
  }

  private async open(connection: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const channel = await this.setup.openChannel(connection);
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.channel === channel) {
        this.channel = undefined;
        this.consumerTag = undefined;
      }
    });
    let queue: string;
    try {
      queue = await this.setup.declare(channel, connection);
      await channel.prefetch(this.setup.prefetch);
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
    const acks = new DeliveryAcks(channel);
    this.channel = channel;
    this.acks = acks;
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (!message) {
          void this.resubscribe(channel, connection, queue);
          return;
        }
        acks.delivered(message);
        void this.deliver(channel, message, () => {
          acks.ack(message);
        });
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  /**
   * The broker cancelled the consumer (its queue was deleted): the channel is retired — the
   * deliveries being handled on it still settle there (a retry is still published), then it
   * closes — and the queue is declared again and consumed on a new channel, with backoff, until
   * it works, the subscription stops, or the connection closes (its reconnect opens it again).
   */
  private async resubscribe(channel: C, connection: ChannelModel, queue: string): Promise<void> {
    if (this.channel !== channel || this.stopping) return;
    this.setup.logger.warn({ queue }, 'consumer cancelled by the broker; subscribing again');
    let closed = false;
    connection.once('close', () => {
      closed = true;
    });
    this.channel = undefined;
    this.consumerTag = undefined;
    if (this.acks) this.retiring.set(channel, this.acks);
    this.closeIfDrained(channel);
    // Someone else took over: the connection's reconnect, a stop, or another resubscribe.
    const settled = (): boolean => closed || this.stopping || this.channel !== undefined;
    for (let attempt = 0; ; attempt++) {
      await sleep(Math.min(100 * 2 ** attempt, MAX_RESUBSCRIBE_DELAY_MS));
      if (settled()) return;
      try {
        await this.open(connection);
        this.setup.logger.info({ queue }, 'consuming again');
        return;
      } catch (error) {
        this.setup.logger.warn(
          { queue, err: error instanceof Error ? error.message : String(error) },
          'subscribing again failed; retrying',
        );
      }
    }
  }

  private closeIfDrained(channel: C): void {
    const acks = this.retiring.get(channel);
    if (!acks || (this.inFlightOn.get(channel) ?? 0) > 0) return;
    this.retiring.delete(channel);
    this.inFlightOn.delete(channel);
    acks.flush();
    void channel.close().catch(() => undefined);
  }

  private async deliver(channel: C, message: ConsumeMessage, ack: () => void): Promise<void> {
    this.inFlight += 1;
    this.inFlightOn.set(channel, (this.inFlightOn.get(channel) ?? 0) + 1);
    try {
      await this.setup.handle(channel, message, ack);
    } finally {
      this.inFlight -= 1;
      this.inFlightOn.set(channel, (this.inFlightOn.get(channel) ?? 1) - 1);
      this.closeIfDrained(channel);
      if (this.inFlight === 0 && this.idle) this.idle();
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
