// Direct access to the e2e vhost, as an outside AMQP client would have (testkit's AmqpClient,
// one connection per call).
import { AmqpClient, type DrainedMessage } from '@junction/testkit';
import { RABBITMQ_URL } from './environment.mts';

/** Publishes raw bytes to the events exchange, confirmed. */
export function publishRaw(
  routingKey: string,
  content: Buffer | string,
  messageId?: string,
): Promise<void> {
  return AmqpClient.with(RABBITMQ_URL, (amqp) =>
    amqp.publish(routingKey, content, {
      ...(messageId ? { messageId } : {}),
      contentType: 'application/json',
    }),
  );
}

/** The messages in a queue (taken off it) with their headers. */
export function drain(queue: string): Promise<DrainedMessage[]> {
  return AmqpClient.with(RABBITMQ_URL, (amqp) => amqp.drain(queue));
}

export function queueDepth(queue: string): Promise<number> {
  return AmqpClient.with(RABBITMQ_URL, (amqp) => amqp.queueDepth(queue));
}

/** How many consumers a queue has: 0 while it (or the vhost) does not exist yet. */
export async function consumerCount(queue: string, url = RABBITMQ_URL): Promise<number> {
  try {
    return await AmqpClient.with(url, (amqp) => amqp.consumerCount(queue));
  } catch {
    return 0;
  }
}
