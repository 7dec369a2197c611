import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PaymentConfig } from '../../../config';
import { type Payment, type PaymentStatus } from '../../../domain/payment';
import { type CreateOutcome, PaymentStore } from '../../../domain/ports';

/**
 * Creates the payment of an order only if there is none and the order is not voided: one charge
 * per order, ever, and none after a void. A capture is listed in the captured index (by Redis
 * time, ms), which drops the entries older than the retention in the same step; the payment and
 * the index expire after the retention. 1 created, 0 one exists, 2 voided.
 * KEYS: payment:<order>, captured-at, void:<order>. ARGV: userId, amountCents, status,
 * declineReason, order id, retention s.
 */
const CREATE_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'amountCents', ARGV[2], 'status', ARGV[3], 'declineReason', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[6])
if ARGV[3] == 'captured' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[6]) * 1000))
  redis.call('EXPIRE', KEYS[2], ARGV[6])
end
return 1
`;

/**
 * Voids an order that has no payment (1), unless it has one (0). The void record expires after
 * the retention. KEYS: payment:<order>, void:<order>. ARGV: retention s.
 */
const VOID_UNLESS_CHARGED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return 1
`;

const CREATE_OUTCOMES: Readonly<Record<number, CreateOutcome>> = {
  0: 'exists',
  1: 'created',
  2: 'voided',
};

/** Moves a captured payment to refunded, once; its retention starts again. ARGV: order, retention s. */
const REFUND = `
if redis.call('HGET', KEYS[1], 'status') ~= 'captured' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'refunded')
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/** The captured orders, by when they were captured (ms): a sorted set, trimmed as it grows. */
const CAPTURED = 'captured-at';

/**
 * Payment's keys in Redis (under `payment:`): payment:<order>, the index of captured orders
 * (captured-at), and void:<order> for an order refunded before any charge (which no charge may
 * follow). Each expires PAYMENT_RETENTION_SECONDS after its latest change, set by the script
 * that changes it; the index drops its entries older than that whenever it gains one.
 */
@Injectable()
export class PaymentRepository extends PaymentStore {
  private readonly retentionSeconds: string;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    config: PaymentConfig,
  ) {
    super();
    this.retentionSeconds = String(config.paymentRetentionSeconds);
  }

  override async createOnce(payment: Payment): Promise<CreateOutcome> {
    const outcome = await this.redis.eval(
      CREATE_ONCE,
      3,
      `payment:${payment.orderId}`,
      CAPTURED,
      `void:${payment.orderId}`,
      payment.userId,
      String(payment.amountCents),
      payment.status,
      payment.declineReason,
      payment.orderId,
      this.retentionSeconds,
    );
    const known = CREATE_OUTCOMES[Number(outcome)];
    if (!known) throw new Error(`unexpected createOnce outcome: ${String(outcome)}`);
    return known;
  }

  override async voidUnlessCharged(orderId: string): Promise<boolean> {
    return (
      (await this.redis.eval(
        VOID_UNLESS_CHARGED,
        2,
        `payment:${orderId}`,
        `void:${orderId}`,
        this.retentionSeconds,
      )) === 1
    );
  }

  override async markRefunded(orderId: string): Promise<boolean> {
    const refunded = await this.redis.eval(
      REFUND,
      2,
      `payment:${orderId}`,
      CAPTURED,
      orderId,
      this.retentionSeconds,
    );
    return refunded === 1;
  }

  override async find(orderId: string): Promise<Payment | undefined> {
    const hash = await this.redis.hgetall(`payment:${orderId}`);
    if (!hash.status) return undefined;
    return {
      orderId,
      userId: hash.userId ?? '',
      amountCents: Number(hash.amountCents),
      status: hash.status as PaymentStatus,
      declineReason: hash.declineReason ?? '',
    };
  }
}
