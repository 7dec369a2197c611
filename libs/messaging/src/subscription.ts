import { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { type Logger } from 'pino';
import { ChannelHealth } from './channel-health';
import { openedWithin, reopenWithBackoff } from './channel-recovery';
import { type AmqpConnection } from './connection';
import { DeliveryAcks } from './delivery-acks';

/** How a handler ends a delivery: acked (coalesced), or put back in its queue. */
export interface DeliverySettlement {
  ack(): void;
  /** Back to the queue (`nack` with requeue): it could not be settled, it must not be lost. */
  requeue(): void;
}

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
  /** Names the channel on `/statusz` (`rabbitmq.channels`) and in the log. */
  readonly name: string;
  /**
   * Takes one delivery to its end on the channel it arrived on, and calls `ack` once it is done
   * with it (acks are coalesced: DeliveryAcks), or `requeue` when it could not settle it. It
   * must not reject: a failure to settle is the handler's to log; the broker redelivers
   * whatever was not acked when the channel closes.
   */
  handle(channel: C, message: ConsumeMessage, settlement: DeliverySettlement): Promise<void>;
  readonly logger: Logger;
}

/**
 * One queue consumed on a channel of its own, with manual acks: opened again on every
 * (re)connection; `stop` cancels the consumer, waits for the deliveries being handled, then
 * closes the channel. A consumer is never left gone while the connection stays up: one the
 * broker cancels (its queue was deleted), a channel the broker closes (a channel-level error),
 * or one found broken (`recycle`: a confirm that never came) is opened again with backoff, the
 * queue declared again and consumed anew — logged, and shown under `rabbitmq.channels` on
 * `/statusz`. EventConsumer and RpcServer differ only in what a delivery does.
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
  /** The connection the current channel is on. */
  private model: ChannelModel | undefined;
  /** The connection a recovery runs on, if one does (one per connection at a time). */
  private recovering: ChannelModel | undefined;
  /** Shown on `/statusz` once started (a server with no handlers never starts: not listed). */
  private health: ChannelHealth;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly setup: SubscriptionSetup<C>,
  ) {
    this.health = new ChannelHealth(setup.name, setup.logger);
  }

  get consuming(): boolean {
    return this.consumerTag !== undefined;
  }

  start(): void {
    this.health = this.connection.channelHealth(this.setup.name);
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
    this.channel = undefined;
    this.health.stopped();
    await channel?.close().catch(() => undefined);
  }

  /** Read afresh after an await (`stop` may have been called meanwhile). */
  private isStopping(): boolean {
    return this.stopping;
  }

  /**
   * `channel` is broken (a confirm on it never came): it is closed — the broker redelivers what
   * was not acked on it — and the queue is consumed again on a new channel.
   */
  recycle(channel: C, reason: string): void {
    if (this.channel !== channel || this.stopping) return;
    void channel.close().catch(() => undefined);
    this.lost(channel, reason);
  }

  private async open(connection: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const channel = await openedWithin(
      this.setup.openChannel(connection),
      this.connection.confirmTimeoutMs,
      (late) => void late.close().catch(() => undefined),
    );
    this.model = connection;
    let closedBecause = 'channel closed';
    channel.on('error', (error: Error) => {
      closedBecause = error.message;
    });
    channel.on('close', () => {
      this.lost(channel, closedBecause);
    });
    let queue: string;
    try {
      queue = await this.setup.declare(channel, connection);
      await channel.prefetch(this.setup.prefetch);
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
    if (this.isStopping()) {
      // Stopped while this (re)opening ran: it must not start consuming after all.
      await channel.close().catch(() => undefined);
      return;
    }
    const acks = new DeliveryAcks(channel);
    this.channel = channel;
    this.acks = acks;
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (!message) {
          this.resubscribe(channel, connection, queue);
          return;
        }
        acks.delivered(message);
        void this.deliver(channel, message, {
          ack: () => {
            acks.ack(message);
          },
          requeue: () => {
            acks.requeue(message);
          },
        });
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
    this.health.opened();
  }

  /**
   * The channel closed under the consumer (the broker closed it, or `recycle` did): what was
   * delivered on it and not acked goes back to the queue at the broker; the queue is consumed
   * again on a new channel. A closed connection is left to its reconnect, which opens it anew.
   */
  private lost(channel: C, reason: string): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    const model = this.model;
    if (this.stopping || !model || !this.connection.isCurrent(model)) return;
    this.recover(model, reason);
  }

  /** One recovery at a time: a channel failing while one runs is that recovery's to replace. */
  private recover(model: ChannelModel, reason: string): void {
    this.health.failed(reason);
    if (this.recovering === model) return;
    this.recovering = model;
    void reopenWithBackoff({
      connection: this.connection,
      model,
      health: this.health,
      open: () => this.open(model),
      // Someone else took over: a stop, or the connection's reconnect.
      done: () => this.stopping || this.channel !== undefined,
    }).finally(() => {
      if (this.recovering === model) this.recovering = undefined;
    });
  }

  /**
   * The broker cancelled the consumer (its queue was deleted): the channel is retired — the
   * deliveries being handled on it still settle there (a retry is still published), then it
   * closes — and the queue is declared again and consumed on a new channel, with backoff, until
   * it works, the subscription stops, or the connection closes (its reconnect opens it again).
   */
  private resubscribe(channel: C, connection: ChannelModel, queue: string): void {
    if (this.channel !== channel || this.stopping) return;
    this.setup.logger.warn({ queue }, 'consumer cancelled by the broker; subscribing again');
    this.channel = undefined;
    this.consumerTag = undefined;
    if (this.acks) this.retiring.set(channel, this.acks);
    this.closeIfDrained(channel);
    this.recover(connection, `consumer of ${queue} cancelled by the broker`);
  }

  private closeIfDrained(channel: C): void {
    const acks = this.retiring.get(channel);
    if (!acks || (this.inFlightOn.get(channel) ?? 0) > 0) return;
    this.retiring.delete(channel);
    this.inFlightOn.delete(channel);
    acks.flush();
    void channel.close().catch(() => undefined);
  }

  private async deliver(
    channel: C,
    message: ConsumeMessage,
    settlement: DeliverySettlement,
  ): Promise<void> {
    this.inFlight += 1;
    this.inFlightOn.set(channel, (this.inFlightOn.get(channel) ?? 0) + 1);
    try {
      await this.setup.handle(channel, message, settlement);
    } finally {
      this.inFlight -= 1;
      this.inFlightOn.set(channel, (this.inFlightOn.get(channel) ?? 1) - 1);
      this.closeIfDrained(channel);
      if (this.inFlight === 0 && this.idle) this.idle();
    }
  }
}
