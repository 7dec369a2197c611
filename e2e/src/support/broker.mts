// Direct access to the e2e vhost, as an outside AMQP client would have.
import { type ConfirmChannel, connect } from 'amqplib';
import { RABBITMQ_URL } from './environment.mts';

export async function withChannel<T>(fn: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await connect(RABBITMQ_URL);
  try {
    const channel = await connection.createConfirmChannel();
    return await fn(channel);
  } finally {
    await connection.close();
  }
}

/** Publishes raw bytes to the events exchange, confirmed. */
export function publishRaw(
  routingKey: string,
  content: Buffer | string,
  messageId?: string,
): Promise<void> {
  return withChannel(async (channel) => {
    channel.publish('junction.events', routingKey, Buffer.from(content), {
      persistent: true,
      ...(messageId ? { messageId } : {}),
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
  });
}

/** The messages in a queue (taken off it) with their headers. */
export function drain(
  queue: string,
): Promise<{ content: string; headers: Record<string, unknown> }[]> {
  return withChannel(async (channel) => {
    const messages: { content: string; headers: Record<string, unknown> }[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) return messages;
      messages.push({
        content: message.content.toString(),
        headers: message.properties.headers ?? {},
      });
      channel.ack(message);
    }
  });
}

export function queueDepth(queue: string): Promise<number> {
  return withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
}
