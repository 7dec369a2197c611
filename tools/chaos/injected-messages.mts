// Messages an external AMQP client injects: copies of real events (duplicates), and poison that
// each consumer must park — not JSON, the wrong schema, an unknown type, and a body over the
// consumers' 256 KiB limit.
import { randomUUID } from 'node:crypto';
import { type AmqpClient, queuesOf, type TappedMessage } from '@junction/testkit';

/** Publishes `copies` exact copies of a tapped event: same routing key, body and messageId. */
export async function publishCopies(
  amqp: AmqpClient,
  message: TappedMessage,
  copies: number,
): Promise<void> {
  for (let i = 0; i < copies; i++)
    await amqp.publish(message.routingKey, message.content, message.properties);
}

export interface Poison {
  readonly kind: string;
  readonly messageId: string;
  /** Where the consumer must put it. */
  readonly parkingQueue: string;
  inject(amqp: AmqpClient): Promise<void>;
}

const OVER_LIMIT_BYTES = 300 * 1024;

export function poisonMessages(): Poison[] {
  const id = (kind: string) => `chaos-poison-${kind}-${randomUUID()}`;
  const notJson = id('not-json');
  const wrongSchema = id('wrong-schema');
  const unknownType = id('unknown-type');
  const huge = id('huge');
  const occurredAt = new Date().toISOString();
  return [
    {
      kind: 'not JSON',
      messageId: notJson,
      parkingQueue: queuesOf('inventory').parking,
      inject: (amqp) =>
        amqp.publish('order.placed', '{"orderId": "unterminated', {
          messageId: notJson,
          type: 'order.placed',
        }),
    },
    {
      kind: 'wrong schema',
      messageId: wrongSchema,
      parkingQueue: queuesOf('payment').parking,
      inject: (amqp) =>
        amqp.publish(
          'inventory.reserved',
          JSON.stringify({
            messageId: wrongSchema,
            type: 'inventory.reserved',
            occurredAt,
            orderId: 42,
            totalCents: 'lots',
          }),
          { messageId: wrongSchema, type: 'inventory.reserved', contentType: 'application/json' },
        ),
    },
    {
      kind: 'unknown type',
      messageId: unknownType,
      parkingQueue: queuesOf('orders').parking,
      // No binding routes an unknown type anywhere: it can only arrive sent straight to a queue.
      inject: (amqp) =>
        amqp.sendToQueue(
          queuesOf('orders').main,
          JSON.stringify({
            messageId: unknownType,
            type: 'order.shipped',
            occurredAt,
            orderId: randomUUID(),
          }),
          { messageId: unknownType, type: 'order.shipped', contentType: 'application/json' },
        ),
    },
    {
      kind: `${OVER_LIMIT_BYTES / 1024} KiB`,
      messageId: huge,
      parkingQueue: queuesOf('orders').parking,
      inject: (amqp) =>
        amqp.publish(
          'payment.captured',
          JSON.stringify({
            messageId: huge,
            type: 'payment.captured',
            occurredAt,
            orderId: randomUUID(),
            amountCents: 1,
            padding: 'x'.repeat(OVER_LIMIT_BYTES),
          }),
          { messageId: huge, type: 'payment.captured', contentType: 'application/json' },
        ),
    },
  ];
}
