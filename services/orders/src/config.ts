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
  /** Deadline of each gRPC call on the blocking path. */
  GRPC_DEADLINE_MS: env.milliseconds(2_000),
  /** The whole blocking checkout (reserve, charge, release): each call gets what is left. */
  CHECKOUT_BUDGET_MS: env.milliseconds(5_000),
  /**
   * Outbox partitions: each is published by one relay at a time, so this bounds how many
   * replicas share the publishing. The same on every replica; changing it while entries wait
   * can reorder the waiting events of one order.
   */
  OUTBOX_PARTITIONS: env.count(8, 1, 256),
  /** Entries a relay publishes per partition at once (confirms outstanding together). */
  OUTBOX_BATCH_SIZE: env.count(64, 1, 1_000),
  /** A relay's hold on a partition, renewed every third of it: how soon a dead one's is taken. */
  OUTBOX_LEASE_MS: env.milliseconds(5_000),
  /** Publishes the broker returns as unroutable before the entry is parked. */
  OUTBOX_UNROUTABLE_ATTEMPTS: env.count(10, 1, 1_000),
  ...jwtVerifierEnv,
});

export interface OutboxSettings {
  readonly partitions: number;
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly unroutableAttempts: number;
}

function outboxSettings(e: z.output<typeof schema>): OutboxSettings {
  return {
    partitions: e.OUTBOX_PARTITIONS,
    batchSize: e.OUTBOX_BATCH_SIZE,
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
  readonly outbox: OutboxSettings;
  readonly jwt: ReturnType<typeof jwtVerifierSettings>;

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.inventoryGrpcTarget = e.INVENTORY_GRPC_TARGET;
    this.paymentGrpcTarget = e.PAYMENT_GRPC_TARGET;
    this.grpcDeadlineMs = e.GRPC_DEADLINE_MS;
    this.checkoutBudgetMs = e.CHECKOUT_BUDGET_MS;
    this.outbox = outboxSettings(e);
    this.jwt = jwtVerifierSettings(e);
  }
}
