import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type Payment, type PaymentStatus } from '../../../domain/payment';
import { PaymentStore } from '../../../domain/ports';

/** Creates the payment of an order only if there is none: one charge per order, ever. */
const CREATE_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'amountCents', ARGV[2], 'status', ARGV[3], 'declineReason', ARGV[4])
if ARGV[3] == 'captured' then redis.call('SADD', KEYS[2], ARGV[5]) end
return 1
`;

/** Moves a captured payment to refunded, once. */
const REFUND = `
if redis.call('HGET', KEYS[1], 'status') ~= 'captured' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'refunded')
redis.call('SREM', KEYS[2], ARGV[1])
return 1
`;

/** Payment's keys in Redis (under `payment:`): payment:<order>, and the set of captured orders. */
@Injectable()
export class PaymentRepository extends PaymentStore {
  constructor(@Inject(Redis) private readonly redis: Redis) {
    super();
  }

  /** Returns true if this call created the payment, false if one already existed. */
  override async createOnce(payment: Payment): Promise<boolean> {
    const created = await this.redis.eval(
      CREATE_ONCE,
      2,
      `payment:${payment.orderId}`,
      'captured',
      payment.userId,
      String(payment.amountCents),
      payment.status,
      payment.declineReason,
      payment.orderId,
    );
    return created === 1;
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
