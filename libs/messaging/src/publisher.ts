import { DomainError } from '@junction/platform';
import { type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
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
 * taken responsibility for the (persistent) message, and rejects with `unavailable` otherwise.
 * Domain events are published `mandatory`: one that reaches no queue is a failure
 * (UnroutableEvent), never confirmed away.
 * Publishes may overlap (a batch waits for all its confirms at once). It runs in the caller's
 * context, so the amqplib instrumentation parents the PRODUCER span there.
 */
export class EventPublisher {
  private channel: ConfirmChannel | undefined;
  /** Mandatory publishes the broker returned, by messageId, not yet matched to their confirm. */
  private readonly returned = new Map<string, number>();
  private readonly appId: string;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly metrics = new MessagingMetrics(),
  ) {
    this.appId = connection.appId;
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
      await confirmedPublish(channel, event, this.appId, options.mandatory === true);
      // RabbitMQ sends basic.return before the basic.ack of the same message.
      if (options.mandatory && this.takeReturned(event.messageId)) {
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

  private takeReturned(messageId: string): boolean {
    const count = this.returned.get(messageId) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.returned.delete(messageId);
    else this.returned.set(messageId, count - 1);
    return true;
  }

  private async open(connection: ChannelModel): Promise<void> {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    channel.on('return', (message: Message) => {
      const id: unknown = message.properties.messageId;
      if (typeof id === 'string') this.returned.set(id, (this.returned.get(id) ?? 0) + 1);
    });
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await assertExchange(channel);
    this.channel = channel;
  }
}

function confirmedPublish(
  channel: ConfirmChannel,
  event: OutgoingEvent,
  appId: string,
  mandatory: boolean,
): Promise<void> {
  const content = Buffer.from(JSON.stringify(event.body));
  return new Promise<void>((resolve, reject) => {
    channel.publish(
      EVENTS_EXCHANGE,
      event.routingKey,
      content,
      {
        persistent: true,
        mandatory,
        messageId: event.messageId,
        appId,
        type: event.type,
        contentType: 'application/json',
        timestamp: Math.floor(Date.now() / 1000),
        headers: { ...event.headers, [PUBLISHED_AT_HEADER]: Date.now() },
      },
      (error: unknown) => {
        if (error)
          reject(new DomainError('unavailable', 'message broker did not confirm the publish'));
        else resolve();
      },
    );
  });
}
