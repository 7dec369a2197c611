import {
  env,
  jwtVerifierEnv,
  jwtVerifierSettings,
  PlatformConfig,
  platformEnv,
} from '@junction/platform';
import { type z } from 'zod';

const schema = platformEnv.extend({
  HTTP_PORT: env.port(3003),
  INVENTORY_GRPC_TARGET: env.grpcTarget('127.0.0.1:50055'),
  PAYMENT_GRPC_TARGET: env.grpcTarget('127.0.0.1:50054'),
  /**
   * Deadline of each gRPC attempt on the blocking path (cut to what is left of the budget). An
   * idempotent call is retried once, and only when the budget still holds a whole attempt.
   */
  GRPC_DEADLINE_MS: env.milliseconds(2_000),
  /** The whole blocking checkout (reserve, charge): each call gets what is left. */
  CHECKOUT_BUDGET_MS: env.milliseconds(5_000),
  /**
   * How long a queued order may stay pending: older, its saga is given up (a consumer down or a
   * message parked), its reservation released, its payment refunded or voided, and the order
   * rejected as `timeout`. Longer than the outages the saga should ride out.
   */
  QUEUED_ORDER_DEADLINE_MS: env.milliseconds(300_000),
  /**
   * How long an order (its hash, its history, its place in the user's list) is kept once it is
   * terminal (confirmed or rejected); then Redis expires it. A pending order never expires. At
   * least a day, the life of an Idempotency-Key, so a key never outlives its order. Default 30 d.
   */
  ORDER_RETENTION_SECONDS: env.count(30 * 86_400, 86_400, 10 * 365 * 86_400),
  /**
   * The undo inside a blocking checkout (release after a decline; release + refund after a
   * failure or a timeout) has this budget of its own, so it works even when the checkout's is
   * spent. What it cannot finish, the sweeper of abandoned checkouts does later; 0 leaves every
   * undo after a failure to the sweeper.
   */
  COMPENSATION_BUDGET_MS: env.milliseconds(1_000),
  /**
   * Outbox partitions: each is published by one relay at a time, so this bounds how many
   * replicas share the publishing. The same on every replica; changing it while entries wait
   * can reorder the waiting events of one order.
   */
  OUTBOX_PARTITIONS: env.count(8, 1, 256),
  /** Entries a relay publishes per partition at once (confirms outstanding together). */
  OUTBOX_BATCH_SIZE: env.count(64, 1, 1_000),
  /**
   * How long a relay waits after a new order before it publishes, so that the orders of that
   * window cross to the broker together (RabbitMQ pays per wake-up more than per message: see
   * docs/performance.md); 16 waiting orders end the window early. Adds up to this much to a
   * queued order's saga, never to its 202. 0 publishes each order at once.
   */
  OUTBOX_LINGER_MS: env.milliseconds(50),
  /** A relay's hold on a partition, renewed every third of it: how soon a dead one's is taken. */
  OUTBOX_LEASE_MS: env.milliseconds(5_000),
  /** Publishes the broker returns as unroutable before the entry is parked. */
  OUTBOX_UNROUTABLE_ATTEMPTS: env.count(10, 1, 1_000),
  /** Event streams (GET /orders/{id}/events) one user may have open at once here; more get 429. */
  EVENT_STREAMS_PER_USER: env.count(8, 1, 10_000),
  /** Event streams this process serves at once; more get 429. */
  EVENT_STREAMS_PER_PROCESS: env.count(2_000, 1, 1_000_000),
  /**
   * How often an open event stream reads its order again, so that a status change whose pub/sub
   * message was missed (a Redis reconnect, a lost publish) still reaches the stream and ends it.
   */
  EVENT_STREAM_RECHECK_MS: env.milliseconds(5_000),
  ...jwtVerifierEnv,
});

export interface EventStreamSettings {
  readonly perUser: number;
  readonly perProcess: number;
  readonly recheckMs: number;
}

export interface OutboxSettings {
  readonly partitions: number;
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly leaseMs: number;
  readonly unroutableAttempts: number;
}

function outboxSettings(e: z.output<typeof schema>): OutboxSettings {
  return {
    partitions: e.OUTBOX_PARTITIONS,
    batchSize: e.OUTBOX_BATCH_SIZE,
    lingerMs: e.OUTBOX_LINGER_MS,
    leaseMs: e.OUTBOX_LEASE_MS,
    unroutableAttempts: e.OUTBOX_UNROUTABLE_ATTEMPTS,
  };
}

export class OrdersConfig extends PlatformConfig {
  static readonly env = schema;
  readonly httpPort: number;
  readonly inventoryGrpcTarget: string;
  readonly paymentGrpcTarget: string;
  readonly grpcDeadlineMs: number;
  readonly checkoutBudgetMs: number;
  readonly queuedOrderDeadlineMs: number;
  readonly compensationBudgetMs: number;
  readonly orderRetentionSeconds: number;
  readonly outbox: OutboxSettings;
  readonly eventStreams: EventStreamSettings;
  readonly jwt: ReturnType<typeof jwtVerifierSettings>;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.inventoryGrpcTarget = e.INVENTORY_GRPC_TARGET;
    this.paymentGrpcTarget = e.PAYMENT_GRPC_TARGET;
    this.grpcDeadlineMs = e.GRPC_DEADLINE_MS;
    this.checkoutBudgetMs = e.CHECKOUT_BUDGET_MS;
    this.queuedOrderDeadlineMs = Math.max(1, e.QUEUED_ORDER_DEADLINE_MS);
    this.compensationBudgetMs = e.COMPENSATION_BUDGET_MS;
    this.orderRetentionSeconds = e.ORDER_RETENTION_SECONDS;
    this.outbox = outboxSettings(e);
    this.eventStreams = {
      perUser: e.EVENT_STREAMS_PER_USER,
      perProcess: e.EVENT_STREAMS_PER_PROCESS,
      recheckMs: Math.max(100, e.EVENT_STREAM_RECHECK_MS),
    };
    this.jwt = jwtVerifierSettings(e);
  }
}
