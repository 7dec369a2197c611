// An AMQP client from outside the services, on chaos' vhost: publishes what a scenario injects
// (duplicates, poison), taps the events the services publish, and reads the parking queues.
import {
  type ChannelModel,
  type ConfirmChannel,
  connect,
  type MessageProperties,
  type Options,
} from 'amqplib';
import { CHAOS_RABBITMQ_URL } from './settings.mts';

export const EVENTS_EXCHANGE = 'junction.events';

export interface TappedMessage {
  readonly routingKey: string;
  readonly content: Buffer;
  readonly properties: Options.Publish;
}

export class ExternalAmqpClient {
  private readonly connection: ChannelModel;
  private readonly channel: ConfirmChannel;

  private constructor(connection: ChannelModel, channel: ConfirmChannel) {
    this.connection = connection;
    this.channel = channel;
  }

  static async connect(url = CHAOS_RABBITMQ_URL): Promise<ExternalAmqpClient> {
    const connection = await connect(url);
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    return new ExternalAmqpClient(connection, channel);
  }

  /** Publishes to the events exchange, persistent, and waits for the broker's confirm. */
  async publish(
    routingKey: string,
    content: Buffer | string,
    properties: Options.Publish,
  ): Promise<void> {
    this.channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(content), {
      persistent: true,
      ...properties,
    });
    await this.channel.waitForConfirms();
  }

  /** Sends straight to one queue (default exchange), bypassing the bindings. */
  async sendToQueue(
    queue: string,
    content: Buffer | string,
    properties: Options.Publish,
  ): Promise<void> {
    this.channel.sendToQueue(queue, Buffer.from(content), { persistent: true, ...properties });
    await this.channel.waitForConfirms();
  }

  /**
   * Receives a copy of every event published to the exchange under `pattern` (an exclusive
   * queue of the tap's own, gone when the client closes).
   */
  async tap(pattern: string, onMessage: (message: TappedMessage) => void): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        const properties: Record<keyof MessageProperties, unknown> = message.properties;
        const { messageId, type, headers, contentType, timestamp } = properties;
        onMessage({
          routingKey: message.fields.routingKey,
          content: message.content,
          properties: {
            messageId: String(messageId),
            type: String(type),
            headers: headers as Record<string, unknown> | undefined,
            contentType: String(contentType),
            timestamp: Number(timestamp),
          },
        });
      },
      { noAck: true },
    );
  }

  /** The messageIds of every message in a queue, left in the queue (requeued unacked). */
  async peekMessageIds(queue: string): Promise<string[]> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      const ids: string[] = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) return ids;
        ids.push(String(message.properties.messageId ?? '(no messageId)'));
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Deletes queues if they exist (each on its own channel: a missing one may close it). */
  async deleteQueues(queues: readonly string[]): Promise<void> {
    for (const queue of queues) {
      const channel = await this.connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
