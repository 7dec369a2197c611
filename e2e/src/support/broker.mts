// Direct access to the e2e vhost, as an outside AMQP client would have.
import { randomUUID } from 'node:crypto';
import { type ConfirmChannel, connect } from 'amqplib';
import { RABBITMQ_URL } from './environment.mts';

export async function withChannel<T>(
  fn: (channel: ConfirmChannel) => Promise<T>,
  url = RABBITMQ_URL,
): Promise<T> {
  const connection = await connect(url);
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

/** How many consumers a queue has: 0 while it does not exist yet. */
export async function consumerCount(queue: string, url = RABBITMQ_URL): Promise<number> {
  try {
    return await withChannel(
      async (channel) => (await channel.checkQueue(queue)).consumerCount,
      url,
    );
  } catch {
    return 0;
  }
}

/**
 * A new queue bound to `routingKeys` on the events exchange, to see what the services publish
 * (drain it with `drain`; it goes away with the vhost).
 */
export function bindTestQueue(routingKeys: readonly string[]): Promise<string> {
  return withChannel(async (channel) => {
    await channel.assertExchange('junction.events', 'topic', { durable: true });
    const { queue } = await channel.assertQueue(`e2e.listen.${randomUUID()}`, { durable: false });
    for (const key of routingKeys) await channel.bindQueue(queue, 'junction.events', key);
    return queue;
  });
}
