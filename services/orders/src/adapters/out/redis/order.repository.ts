import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  type CheckoutMode,
  type Order,
  type OrderLine,
  type OrderStatus,
  type StatusChange,
} from '../../../domain/order';
import { type IdempotencyClaim, OrderStore, type SerializedEvent } from '../../../domain/ports';
import { CheckoutMetrics } from './checkout-metrics';
import { Outbox } from './outbox';

/** Blocking checkouts not finished yet, by start time: what a crash of orders leaves behind. */
const IN_FLIGHT_BLOCKING = 'blocking-in-flight';

/** Redis pub/sub channel of status changes (channels are not key-prefixed, so it names orders). */
export const STATUS_CHANNEL = 'orders:status';

/**
 * Moves a pending order to a terminal status, once: a second outcome for the same order (a
 * duplicate or late event) changes nothing. KEYS: order:<id>, order:<id>:history, the
 * in-flight blocking checkouts. ARGV: status, reason, at, change JSON, channel, totalCents
 * ('' keeps it), order id. Returns the order's mode (checkout path) when it changed it, else 0.
 */
const TRANSITION = `
redis.call('ZREM', KEYS[3], ARGV[7])
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'reason', ARGV[2], 'updatedAt', ARGV[3])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'totalCents', ARGV[6]) end
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], cjson.encode({orderId = redis.call('HGET', KEYS[1], 'id'), status = ARGV[1]}))
return redis.call('HGET', KEYS[1], 'mode') or 'unknown'
`;

/**
 * Orders' keys in Redis (under `orders:`): order:<id>, its history, user:<id>:orders, and the
 * outbox's partitions (Outbox).
 * Counts orders placed and completed (CheckoutMetrics) where those changes really happen.
 */
@Injectable()
export class OrderRepository extends OrderStore {
  private readonly metrics = new CheckoutMetrics();

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    private readonly outbox: Outbox,
  ) {
    super();
  }

  /** Writes a new order; with `outboxEntry`, its event goes into the outbox in the same MULTI. */
  async create(order: Order, outboxEntry?: SerializedEvent): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(`order:${order.id}`, {
      id: order.id,
      userId: order.userId,
      mode: order.mode,
      status: order.status,
      reason: order.reason,
      lines: JSON.stringify(order.lines),
      paymentMethod: order.paymentMethod,
      totalCents: order.totalCents,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
    });
    for (const change of order.history)
      multi.rpush(`order:${order.id}:history`, JSON.stringify(change));
    multi.zadd(`user:${order.userId}:orders`, Date.parse(order.createdAt), order.id);
    if (outboxEntry !== undefined) this.outbox.append(multi, order.id, outboxEntry);
    if (order.mode === 'blocking')
      multi.zadd(IN_FLIGHT_BLOCKING, Date.parse(order.createdAt), order.id);
    await multi.exec();
    this.metrics.orderPlaced(order.mode);
  }

  async transition(
    orderId: string,
    status: OrderStatus,
    reason: string,
    totalCents?: number,
  ): Promise<boolean> {
    const at = new Date().toISOString();
    const change: StatusChange = { status, reason, at };
    const changed = (await this.redis.eval(
      TRANSITION,
      3,
      `order:${orderId}`,
      `order:${orderId}:history`,
      IN_FLIGHT_BLOCKING,
      status,
      reason,
      at,
      JSON.stringify(change),
      STATUS_CHANNEL,
      totalCents === undefined ? '' : String(totalCents),
      orderId,
    )) as string | number | null;
    if (typeof changed !== 'string') return false;
    if (status !== 'pending') this.metrics.orderCompleted(changed as CheckoutMode, status, reason);
    return true;
  }

  async find(orderId: string): Promise<Order | undefined> {
    const [hash, history] = await Promise.all([
      this.redis.hgetall(`order:${orderId}`),
      this.redis.lrange(`order:${orderId}:history`, 0, -1),
    ]);
    if (!hash.id || !hash.userId) return undefined;
    return {
      id: hash.id,
      userId: hash.userId,
      mode: hash.mode as Order['mode'],
      status: hash.status as OrderStatus,
      reason: hash.reason ?? '',
      lines: JSON.parse(hash.lines ?? '[]') as OrderLine[],
      paymentMethod: hash.paymentMethod ?? '',
      totalCents: Number(hash.totalCents ?? 0),
      createdAt: hash.createdAt ?? '',
      updatedAt: hash.updatedAt ?? '',
      history: history.map((entry) => JSON.parse(entry) as StatusChange),
    };
  }

  /** Blocking checkouts started before `olderThan` that never finished (their caller is gone). */
  async abandonedBlocking(olderThan: Date, limit = 100): Promise<string[]> {
    return this.redis.zrangebyscore(IN_FLIGHT_BLOCKING, 0, olderThan.getTime(), 'LIMIT', 0, limit);
  }

  async listIdsForUser(userId: string, limit: number): Promise<string[]> {
    return this.redis.zrevrange(`user:${userId}:orders`, 0, limit - 1);
  }

  /** Kept 24 h under idempotency:<user>:<key>, as `<fingerprint>|<order id>`. */
  async claimIdempotencyKey(
    userId: string,
    key: string,
    fingerprint: string,
    orderId: string,
  ): Promise<IdempotencyClaim> {
    const redisKey = `idempotency:${userId}:${key}`;
    const claimed = await this.redis.set(
      redisKey,
      `${fingerprint}|${orderId}`,
      'EX',
      24 * 3600,
      'NX',
    );
    if (claimed === 'OK') return { orderId, fingerprint, claimed: true };
    const [storedFingerprint = '', storedOrderId = ''] = (
      (await this.redis.get(redisKey)) ?? ''
    ).split('|');
    return { orderId: storedOrderId, fingerprint: storedFingerprint, claimed: false };
  }
}
