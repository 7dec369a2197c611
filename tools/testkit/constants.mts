// What the clients outside the services need to know about them, declared once for the bench,
// chaos, the fuzzer and the e2e tests: the broker's names (as libs/messaging declares them), the
// Redis keys the services keep their state under, and the consumers in saga order (topology.yaml).
import { loadTopology } from '@junction/topology';

/** The topic exchange every domain event is published to (libs/messaging, EVENTS_EXCHANGE). */
export const EVENTS_EXCHANGE = 'junction.events';

/** RabbitMQ's direct reply-to pseudo-queue (AMQP request-reply without a reply queue). */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** The prefetch every consumer is configured with (libs/messaging, MessagingModule). */
export const CONSUMER_PREFETCH = 16;

/** The machine's broker, and the user every vhost of a run is opened to. */
export const BROKER_HOST = '127.0.0.1:5672';

/** The AMQP URL of `vhost` as guest (the user the machine's RabbitMQ has). */
export function rabbitmqUrl(vhost: string, host = BROKER_HOST): string {
  return `amqp://guest:guest@${host}/${vhost}`;
}

export interface ServiceQueues {
  readonly main: string;
  readonly retry: string;
  readonly parking: string;
}

/** The queues a consuming service declares (libs/messaging, queueNames). */
export function queuesOf(service: string): ServiceQueues {
  return {
    main: `${service}.events`,
    retry: `${service}.events.retry`,
    parking: `${service}.events.parking`,
  };
}

/**
 * The services that consume events, in the order the saga reaches them: from the first service of
 * topology.yaml that publishes, each consumer of what a reached service publishes (orders →
 * inventory → payment → orders: inventory, payment, orders).
 */
export const CONSUMING_SERVICES: readonly string[] = sagaConsumers();

/** Every queue the services declare in a vhost. */
export function allServiceQueues(): string[] {
  return CONSUMING_SERVICES.flatMap((service) => {
    const { main, retry, parking } = queuesOf(service);
    return [main, retry, parking];
  });
}

/** The consumers' main queues: where a backlog of the queued path builds up. */
export const SAGA_QUEUES: readonly string[] = CONSUMING_SERVICES.map((s) => queuesOf(s).main);

/**
 * How many partitions orders' outbox has: orders' default OUTBOX_PARTITIONS, which every run the
 * testkit drives (local, e2e, chaos, bench) keeps. The outbox is read partition by partition by
 * name — never by SCAN, which walks the whole keyspace and slows Redis as the orders pile up.
 */
export const OUTBOX_PARTITIONS = 8;

/** Where the services keep their state in Redis (each service's repositories). */
export const REDIS_KEYS = {
  orderPrefix: 'orders:order:',
  /** Rejected orders whose release/refund is not done yet (orders' sweeper of overdue sagas). */
  toCompensate: 'orders:to-compensate',
  /** The outbox's partitions, one Redis Stream each (orders' Outbox): `orders:outbox:{<n>}`. */
  outboxPartitionPrefix: 'orders:outbox:{',
  reservationPrefix: 'inventory:reservation:',
  stockPrefix: 'inventory:stock:',
  paymentPrefix: 'payment:payment:',
  /** Captured orders by capture time (ms), a sorted set trimmed to payment's retention. */
  captured: 'payment:captured-at',
  /** An order refunded before any charge: no payment may be stored for it (payment's Refund). */
  voidedPrefix: 'payment:void:',
} as const;

function sagaConsumers(): string[] {
  const services = Object.values(loadTopology().services);
  const consumersOf = (event: string): string[] =>
    services.filter((s) => s.consumes.includes(event)).map((s) => s.name);
  const order: string[] = [];
  const reached = services.filter((s) => s.publishes.length > 0).slice(0, 1);
  for (let i = 0; i < reached.length; i++) {
    for (const event of reached[i]?.publishes ?? []) {
      for (const consumer of consumersOf(event)) {
        if (order.includes(consumer)) continue;
        order.push(consumer);
        const service = services.find((s) => s.name === consumer);
        if (service) reached.push(service);
      }
    }
  }
  const unreached = services.filter((s) => s.consumes.length > 0 && !order.includes(s.name));
  return [...order, ...unreached.map((s) => s.name)];
}
