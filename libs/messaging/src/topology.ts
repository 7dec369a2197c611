import { type Channel } from 'amqplib';

/** The one durable topic exchange every domain event is published to. */
export const EVENTS_EXCHANGE = 'junction.events';

export interface QueueNames {
  /** Quorum queue the service consumes, bound to the routing keys it handles. */
  readonly main: string;
  /** Holds a failed message for `retryDelayMs`, then dead-letters it back to `main` only. */
  readonly retry: string;
  /** Where poison and exhausted messages end, with the reason in their headers. Never lost. */
  readonly parking: string;
}

export function queueNames(service: string): QueueNames {
  return {
    main: `${service}.events`,
    retry: `${service}.events.retry`,
    parking: `${service}.events.parking`,
  };
}

export interface TopologyOptions {
  readonly retryDelayMs: number;
  /**
   * Broker-side backstop: a message redelivered this many times (e.g. because it crashes the
   * consumer before it can be acked) is dead-lettered to the parking queue.
   */
  readonly deliveryLimit: number;
}

export async function assertExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
}

/** Declares (idempotently) the exchange and one service's main, retry and parking queues. */
export async function assertConsumerTopology(
  channel: Channel,
  service: string,
  routingKeys: readonly string[],
  options: TopologyOptions,
): Promise<QueueNames> {
  const names = queueNames(service);
  await assertExchange(channel);
  await channel.assertQueue(names.parking, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.assertQueue(names.retry, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-message-ttl': options.retryDelayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.main,
    },
  });
  await channel.assertQueue(names.main, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': options.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.parking,
    },
  });
  for (const routingKey of routingKeys) {
    await channel.bindQueue(names.main, EVENTS_EXCHANGE, routingKey);
  }
  return names;
}

/** How long a request waits in a service's RPC queue for a server before the broker drops it. */
export const RPC_REQUEST_TTL_MS = 30_000;

/** The queue a service's AMQP request-reply methods are served from (rpc-server.ts). */
export function rpcQueueName(service: string): string {
  return `${service}.rpc`;
}

/**
 * Declares (idempotently) a service's request queue: a durable classic queue, fed through the
 * default exchange. Requests are transient (not persisted) and expire after RPC_REQUEST_TTL_MS,
 * so requests that no server answered in time — their callers gave up — cannot pile up.
 */
export async function assertRpcQueue(channel: Channel, service: string): Promise<string> {
  const queue = rpcQueueName(service);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: { 'x-queue-type': 'classic', 'x-message-ttl': RPC_REQUEST_TTL_MS },
  });
  return queue;
}
