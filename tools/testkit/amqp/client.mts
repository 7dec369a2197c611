// An AMQP client from outside the services: publishes to the events exchange or straight to a
// queue (confirmed), taps and listens to what the services publish, reads queues (peek, drain,
// depth, consumers) and deletes them. One connection; a dropped one never fails the process.
import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  connect,
  type MessageProperties,
  type Options,
} from 'amqplib';
import { EVENTS_EXCHANGE } from '../constants.mts';

export interface TappedMessage {
  readonly routingKey: string;
  readonly content: Buffer;
  readonly properties: Options.Publish;
}

export interface DrainedMessage {
  readonly content: string;
  readonly headers: Record<string, unknown>;
}

export interface PeekedMessage extends DrainedMessage {
  readonly messageId: string;
}

/**
 * The user of an amqp(s):// URL, percent-decoded; `guest` (amqplib's default) without one: the
 * user-id the broker accepts on that URL's connection (libs/messaging's connection has its twin;
 * the libraries cannot import the tools).
 */
export function brokerUserOf(url: string): string {
  const user = new URL(url).username;
  return user.length > 0 ? decodeURIComponent(user) : 'guest';
}

export class AmqpClient {
  private readonly connection: ChannelModel;
  private readonly channel: ConfirmChannel;
  /**
   * The user this client logs in as: every message it sends names it as its user-id (as the
   * services' messages do), which the broker checks and the consumers trust (libs/messaging).
   */
  private readonly user: string;

  private constructor(connection: ChannelModel, channel: ConfirmChannel, user: string) {
    this.connection = connection;
    this.channel = channel;
    this.user = user;
  }

  static async connect(url: string): Promise<AmqpClient> {
    const connection = await connect(url);
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    return new AmqpClient(connection, channel, brokerUserOf(url));
  }

  /** Connects, runs `fn`, closes. */
  static async with<T>(url: string, fn: (client: AmqpClient) => Promise<T>): Promise<T> {
    const client = await AmqpClient.connect(url);
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  /** What the broker says it is (version, platform) when the connection opened. */
  get serverProperties(): { readonly version: string; readonly platform: string } {
    return this.connection.connection.serverProperties;
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
      // A copy of a tapped event names its publisher: the broker accepts only this login.
      userId: this.user,
    });
    await this.channel.waitForConfirms();
  }

  /** Sends straight to one queue (default exchange), bypassing the bindings. */
  async sendToQueue(
    queue: string,
    content: Buffer | string,
    properties: Options.Publish,
  ): Promise<void> {
    this.channel.sendToQueue(queue, Buffer.from(content), {
      persistent: true,
      ...properties,
      userId: this.user,
    });
    await this.channel.waitForConfirms();
  }

  /**
   * Receives a copy of every event published to the exchange under `pattern` (an exclusive
   * queue of the tap's own, gone when the client closes).
   */
  async tap(pattern: string, onMessage: (message: TappedMessage) => void): Promise<void> {
    const channel = await this.openChannel();
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

  /** The messages in a queue, taken off it, with their headers. */
  async drain(queue: string): Promise<DrainedMessage[]> {
    const messages: DrainedMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: false });
      if (!message) return messages;
      messages.push({
        content: message.content.toString(),
        headers: message.properties.headers ?? {},
      });
      this.channel.ack(message);
    }
  }

  /** The messageIds of every message in a queue, left in the queue (requeued unacked). */
  async peekMessageIds(queue: string): Promise<string[]> {
    return (await this.peekMessages(queue)).map((message) => message.messageId);
  }

  /** Every message in a queue with its messageId and headers, left in the queue (requeued unacked). */
  async peekMessages(queue: string): Promise<PeekedMessage[]> {
    return this.onOwnChannel(async (channel) => {
      const messages: PeekedMessage[] = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) return messages;
        messages.push({
          messageId: String(message.properties.messageId ?? '(no messageId)'),
          content: message.content.toString(),
          headers: message.properties.headers ?? {},
        });
      }
    });
  }

  /** Ready messages in a queue (a passive declare); rejects when the queue does not exist. */
  async queueDepth(queue: string): Promise<number> {
    return this.onOwnChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
  }

  /** How many consumers a queue has: 0 while it does not exist yet. */
  async consumerCount(queue: string): Promise<number> {
    return this.onOwnChannel(
      async (channel) => (await channel.checkQueue(queue)).consumerCount,
    ).catch(() => 0);
  }

  /** Deletes a queue (and the messages in it); answers how many messages went with it. */
  async deleteQueue(queue: string): Promise<number> {
    return this.onOwnChannel(async (channel) => (await channel.deleteQueue(queue)).messageCount);
  }

  /** Deletes queues if they exist (each on its own channel: a missing one may close it). */
  async deleteQueues(queues: readonly string[]): Promise<void> {
    for (const queue of queues) {
      await this.onOwnChannel((channel) => channel.deleteQueue(queue)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  private async openChannel(): Promise<Channel> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  /** Runs `fn` on a channel of its own (a failed passive declare closes the channel it ran on). */
  private async onOwnChannel<T>(fn: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.openChannel();
    try {
      return await fn(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}
