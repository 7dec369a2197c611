import { type Channel, type ChannelModel } from 'amqplib';
import { type Logger } from 'pino';
import { type BrokerTopology, type QueueArguments } from './topology';

/** A queue that exists with other arguments than the declared ones: kept, reported. */
export interface QueueMismatch {
  readonly queue: string;
  readonly declared: QueueArguments;
  /** The broker's answer (which argument differs). */
  readonly error: string;
  /** What an operator runs to have it declared anew (docs/reliability.md). */
  readonly fix: string;
}

/**
 * Declares (idempotently) every exchange, queue and binding of `topology`, on a channel of its
 * own that it closes again. A queue that exists already with other arguments (the broker answers
 * PRECONDITION_FAILED and closes the channel) is kept as it is — it still holds messages — and
 * reported (the log, as an error naming the queue and the command that fixes it, and
 * `onMismatch`, which AmqpConnection shows on `/statusz`); the rest is declared on a fresh
 * channel, so a change of queue arguments never wedges the connection in a reconnect loop.
 */
export async function declareBrokerTopology(
  connection: ChannelModel,
  topology: BrokerTopology,
  logger: Logger,
  onMismatch: (mismatch: QueueMismatch) => void = () => undefined,
): Promise<void> {
  let channel = await openChannel(connection);
  try {
    for (const exchange of topology.exchanges) {
      await channel.assertExchange(exchange.name, exchange.type, { durable: true });
    }
    for (const queue of topology.queues) {
      try {
        await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments });
      } catch (error) {
        if (!isPreconditionFailed(error)) throw error;
        channel = await openChannel(connection);
        // Fails (and so fails the declaration) unless the queue does exist.
        await channel.checkQueue(queue.name);
        const mismatch: QueueMismatch = {
          queue: queue.name,
          declared: queue.arguments,
          error: messageOf(error),
          fix: `rabbitmqctl delete_queue --if-empty ${queue.name}`,
        };
        onMismatch(mismatch);
        logger.error(
          mismatch,
          `queue ${queue.name} exists with other arguments; using it as it is. To apply the ` +
            `declared ones, delete it once it is empty (\`${mismatch.fix}\`, with -p <vhost> ` +
            'outside the default vhost): the services declare it again',
        );
      }
    }
    for (const binding of topology.bindings) {
      await channel.bindQueue(binding.queue, binding.exchange, binding.routingKey);
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function openChannel(connection: ChannelModel): Promise<Channel> {
  const channel = await connection.createChannel();
  // A channel error also rejects the operation that caused it; that is where it is handled.
  channel.on('error', () => undefined);
  return channel;
}

function isPreconditionFailed(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (
    (error as { code?: unknown }).code === 406 || messageOf(error).includes('PRECONDITION_FAILED')
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
