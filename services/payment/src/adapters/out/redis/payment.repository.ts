import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type Payment, type PaymentStatus } from '../../../domain/payment';
import { type CreateOutcome, PaymentStore } from '../../../domain/ports';

/**
 * Creates the payment of an order only if there is none and the order is not voided: one charge
 * per order, ever, and none after a void. 1 created, 0 one exists, 2 voided.
 */
const CREATE_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'amountCents', ARGV[2], 'status', ARGV[3], 'declineReason', ARGV[4])
if ARGV[3] == 'captured' then redis.call('SADD', KEYS[2], ARGV[5]) end
return 1
`;

/** Voids an order that has no payment (1), unless it has one (0). */
const VOID_UNLESS_CHARGED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], '1')
return 1
`;

const CREATE_OUTCOMES: Readonly<Record<number, CreateOutcome>> = {
  0: 'exists',
  1: 'created',
  2: 'voided',
};

/** Moves a captured payment to refunded, once. */
const REFUND = `
if redis.call('HGET', KEYS[1], 'status') ~= 'captured' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'refunded')
redis.call('SREM', KEYS[2], ARGV[1])
return 1
`;

/**
 * Payment's keys in Redis (under `payment:`): payment:<order>, the set of captured orders, and
 * void:<order> for an order refunded before any charge (which no charge may follow).
 */
@Injectable()
export class PaymentRepository extends PaymentStore {
  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
  }

  override async createOnce(payment: Payment): Promise<CreateOutcome> {
    const outcome = await this.redis.eval(
      CREATE_ONCE,
      3,
      `payment:${payment.orderId}`,
      'captured',
      `void:${payment.orderId}`,
      payment.userId,
      String(payment.amountCents),
      payment.status,
      payment.declineReason,
      payment.orderId,
    );
    const known = CREATE_OUTCOMES[Number(outcome)];
    if (!known) throw new Error(`unexpected createOnce outcome: ${String(outcome)}`);
    return known;
  }

  override async voidUnlessCharged(orderId: string): Promise<boolean> {
    return (
      (await this.redis.eval(VOID_UNLESS_CHARGED, 2, `payment:${orderId}`, `void:${orderId}`)) === 1
    );
  }

  override async markRefunded(orderId: string): Promise<boolean> {
    return (await this.redis.eval(REFUND, 2, `payment:${orderId}`, 'captured', orderId)) === 1;
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
