import { DomainError } from '@junction/platform';
import { type ChannelModel } from 'amqplib';
import { type ChannelHealth } from './channel-health';
import { openedWithin, reopenWithBackoff } from './channel-recovery';
import { ConfirmedChannel } from './confirmed-channel';
import { type AmqpConnection } from './connection';
import { PUBLISHED_AT_HEADER } from './headers';
import { MessagingMetrics } from './messaging-metrics';
import { type OutgoingEvent } from './outgoing-event';
import { assertExchange, EVENTS_EXCHANGE } from './topology';

export interface PublishOptions {
  /**
   * The message must reach at least one queue: the broker returns it when no queue is bound to
   * its routing key, and `publish` rejects with UnroutableEvent instead of resolving.
   */
  readonly mandatory?: boolean;
}

/** The broker returned a mandatory publish: no queue is bound to its routing key. */
export class UnroutableEvent extends DomainError {
  override readonly name = 'UnroutableEvent';

  constructor(readonly routingKey: string) {
    super('unavailable', `unroutable: no queue is bound to ${routingKey}`);
  }
}

/**
 * Publishes domain events with publisher confirms: `publish` resolves only once the broker has
 * taken responsibility for the (persistent) message, and rejects with `unavailable` otherwise —
 * also when no confirm comes within the connection's confirm timeout, or the broker blocks
 * publishing for longer (ConfirmedChannel). Domain events are published `mandatory`: one that
 * reaches no queue is a failure (UnroutableEvent), never confirmed away.
 * A channel the broker closes, or one whose confirm never came, is opened again with backoff
 * while the connection stays up (`rabbitmq.channels.publisher` on `/statusz`, and the log).
 * Publishes may overlap (a batch waits for all its confirms at once). It runs in the caller's
 * context, so the amqplib instrumentation parents the PRODUCER span there.
 */
export class EventPublisher {
  private channel: ConfirmedChannel | undefined;
  private readonly appId: string;
  private readonly health: ChannelHealth;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly metrics = new MessagingMetrics(),
  ) {
    this.appId = connection.appId;
    this.health = connection.channelHealth('publisher');
    connection.onConnected((c) => this.open(c));
  }

  get ready(): boolean {
    return this.channel !== undefined;
  }

  async publish(event: OutgoingEvent, options: PublishOptions = {}): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new DomainError('unavailable', 'message broker unavailable');
    const started = performance.now();
    try {
      const outcome = await channel.publish(
        EVENTS_EXCHANGE,
        event.routingKey,
        Buffer.from(JSON.stringify(event.body)),
        {
          persistent: true,
          mandatory: options.mandatory === true,
          messageId: event.messageId,
          appId: this.appId,
          // Checked by the broker against this connection's login: consumers accept an event
          // only from its declared publisher's user (consumer.ts).
          userId: this.connection.user,
          type: event.type,
          contentType: 'application/json',
          timestamp: Math.floor(Date.now() / 1000),
          headers: { ...event.headers, [PUBLISHED_AT_HEADER]: Date.now() },
        },
      );
      if (outcome === 'returned') {
        // A queue is missing (deleted, or the broker lost its definitions): declared again in
        // the background, so the caller's retry finds it. This publish has failed all the same.
        void this.connection.topologyLost();
        throw new UnroutableEvent(event.routingKey);
      }
      this.metrics.published(event.routingKey, (performance.now() - started) / 1000);
    } catch (error) {
      this.metrics.published(event.routingKey, (performance.now() - started) / 1000, error);
      throw error;
    }
  }

  private async open(connection: ChannelModel): Promise<void> {
    const channel = await openedWithin(
      connection.createConfirmChannel(),
      this.connection.confirmTimeoutMs,
      (late) => void late.close().catch(() => undefined),
    );
    let closedBecause = 'channel closed';
    channel.on('error', (error: Error) => {
      closedBecause = error.message;
    });
    const confirmed = new ConfirmedChannel(channel, {
      confirmTimeoutMs: this.connection.confirmTimeoutMs,
      blockedReason: () => this.connection.blockedReason,
      whenUnblocked: (ms) => this.connection.whenUnblocked(ms),
      broken: (reason) => {
        this.lost(confirmed, connection, reason);
        void channel.close().catch(() => undefined);
      },
    });
    channel.on('close', () => {
      this.lost(confirmed, connection, closedBecause);
    });
    try {
      await assertExchange(channel);
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
    this.channel = confirmed;
    this.health.opened();
  }

  /**
   * The channel closed under the publisher, or its confirms stopped: publishes fail fast
   * (`unavailable`) until a new one is open. A closed connection is left to its reconnect.
   */
  private lost(channel: ConfirmedChannel, connection: ChannelModel, reason: string): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    if (!this.connection.isCurrent(connection)) return;
    this.health.failed(reason);
    void reopenWithBackoff({
      connection: this.connection,
      model: connection,
      health: this.health,
      open: () => this.open(connection),
      done: () => this.channel !== undefined,
    });
  }
}
