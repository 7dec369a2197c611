import { DomainError } from '@junction/platform';
import { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { type AmqpConnection } from './connection';
import { PUBLISHED_AT_HEADER } from './headers';
import { MessagingMetrics } from './messaging-metrics';
import { type OutgoingEvent } from './outgoing-event';
import { assertExchange, EVENTS_EXCHANGE } from './topology';

/**
 * Publishes domain events with publisher confirms: `publish` resolves only once the broker has
 * taken responsibility for the (persistent) message, and rejects with `unavailable` otherwise.
 * It runs in the caller's context, so the amqplib instrumentation parents the PRODUCER span there.
 */
export class EventPublisher {
  private channel: ConfirmChannel | undefined;

  constructor(
    connection: AmqpConnection,
    private readonly metrics = new MessagingMetrics(),
  ) {
    connection.onConnected((c) => this.open(c));
  }

  get ready(): boolean {
    return this.channel !== undefined;
  }

  async publish(event: OutgoingEvent): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new DomainError('unavailable', 'message broker unavailable');
    const started = performance.now();
    try {
      await confirmedPublish(channel, event);
      this.metrics.published(event.routingKey, (performance.now() - started) / 1000);
    } catch (error) {
      this.metrics.published(event.routingKey, (performance.now() - started) / 1000, error);
      throw error;
    }
  }

  private async open(connection: ChannelModel): Promise<void> {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await assertExchange(channel);
    this.channel = channel;
  }
}

function confirmedPublish(channel: ConfirmChannel, event: OutgoingEvent): Promise<void> {
  const content = Buffer.from(JSON.stringify(event.body));
  return new Promise<void>((resolve, reject) => {
    channel.publish(
      EVENTS_EXCHANGE,
      event.routingKey,
      content,
      {
        persistent: true,
        messageId: event.messageId,
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
