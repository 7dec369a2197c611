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

/** The queue arguments of a broker topology: the same values every service declares. */
export type QueueArguments = Readonly<Record<string, string | number>>;

/**
 * Exchanges, queues and bindings, declared together: the whole broker topology of topology.yaml
 * (BROKER_TOPOLOGY of @junction/contracts, generated) or one consumer's part of it.
 */
export interface BrokerTopology {
  readonly exchanges: readonly { readonly name: string; readonly type: string }[];
  readonly queues: readonly { readonly name: string; readonly arguments: QueueArguments }[];
  readonly bindings: readonly {
    readonly exchange: string;
    readonly queue: string;
    readonly routingKey: string;
  }[];
  /**
   * The service that publishes each event (routing key → service), from topology.yaml's
   * `publishes`: the consumer accepts an event only from that service's broker user, or from
   * its own (its retries). Absent in one consumer's part, which declares queues only.
   */
  readonly publishers?: Readonly<Record<string, string>>;
}

/**
 * Broker-side backstop of a main queue: a message delivered this many times without an ack (it
 * crashes the consumer before it can be settled) is dead-lettered to the parking queue. Fixed,
 * like every queue argument: an argument cannot change once the queue exists (the same constant
 * as tools/topology/broker.mts; a spec holds the two together).
 */
export const DELIVERY_LIMIT = 10;

/**
 * One consuming service's part of the broker topology: its main, retry and parking queues and a
 * binding per routing key. The retry delay is not a queue argument: the consumer sets it on each
 * retried message (`expiration`), so changing it never conflicts with a declared queue.
 */
export function consumerTopology(service: string, routingKeys: readonly string[]): BrokerTopology {
  const names = queueNames(service);
  return {
    exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic' }],
    queues: [
      { name: names.parking, arguments: { 'x-queue-type': 'quorum' } },
      {
        name: names.retry,
        arguments: {
          'x-queue-type': 'quorum',
          'x-dead-letter-exchange': '',
          // Dead-lettered messages stay in this queue until their target confirms them, so one
          // whose target is missing waits for it instead of being dropped (quorum queues only;
          // at-least-once needs reject-publish, which without a length limit rejects nothing).
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
          'x-dead-letter-routing-key': names.main,
        },
      },
      {
        name: names.main,
        arguments: {
          'x-queue-type': 'quorum',
          'x-delivery-limit': DELIVERY_LIMIT,
          'x-dead-letter-exchange': '',
          // Dead-lettered messages stay in this queue until their target confirms them, so one
          // whose target is missing waits for it instead of being dropped (quorum queues only;
          // at-least-once needs reject-publish, which without a length limit rejects nothing).
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
          'x-dead-letter-routing-key': names.parking,
        },
      },
    ],
    bindings: routingKeys.map((routingKey) => ({
      exchange: EVENTS_EXCHANGE,
      queue: names.main,
      routingKey,
    })),
  };
}

export async function assertExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
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
