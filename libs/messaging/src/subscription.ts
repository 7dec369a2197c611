import { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { type AmqpConnection } from './connection';

/** What a Subscription does with each fresh channel and with each delivery. */
export interface SubscriptionSetup<C extends Channel> {
  /** A new channel on the connection: a plain one, or one with publisher confirms. */
  openChannel(connection: ChannelModel): Promise<C>;
  /** Declares what the queue needs on the new channel; answers the queue to consume. */
  declare(channel: C): Promise<string>;
  /** Unacked deliveries at once (bounded prefetch). */
  readonly prefetch: number;
  /**
   * Takes one delivery to its end — ack, reject or reply — on the channel it arrived on. It must
   * not reject: a failure to settle (the channel died) is the handler's to log; the broker
   * redelivers whatever was not acked.
   */
  handle(channel: C, message: ConsumeMessage): Promise<void>;
}

/**
 * One queue consumed on a channel of its own, with manual acks: opened again on every
 * (re)connection; `stop` cancels the consumer, waits for the deliveries being handled, then
 * closes the channel. EventConsumer and RpcServer differ only in what a delivery does.
 */
export class Subscription<C extends Channel> {
  private channel: C | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
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
    const queue = await this.setup.declare(channel);
    await channel.prefetch(this.setup.prefetch);
    this.channel = channel;
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (message) void this.deliver(channel, message);
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async deliver(channel: C, message: ConsumeMessage): Promise<void> {
    this.inFlight += 1;
    try {
      await this.setup.handle(channel, message);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && this.idle) this.idle();
    }
  }
}
