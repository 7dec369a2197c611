import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  type CheckoutMode,
  type Order,
  type OrderLine,
  type OrderStatus,
  type StatusChange,
} from '../../../domain/order';
import {
  type IdempotencyBinding,
  type IdempotencyClaim,
  OrderStore,
  type SerializedEvent,
} from '../../../domain/ports';
import { OrdersConfig } from '../../../config';
import { CheckoutMetrics } from './checkout-metrics';
import { Outbox } from './outbox';

/** Blocking checkouts not finished yet, by start time: what a crash of orders leaves behind. */
const IN_FLIGHT_BLOCKING = 'blocking-in-flight';

/** Queued orders still pending, by creation time: what the deadline of a saga looks at. */
const PENDING_QUEUED = 'queued-pending';

/** Rejected orders whose compensation (release, refund) is not done yet, by when listed. */
const TO_COMPENSATE = 'to-compensate';

/** The index of the pending orders of a checkout path, written with the order. */
function pendingIndexOf(mode: CheckoutMode): string {
  return mode === 'blocking' ? IN_FLIGHT_BLOCKING : PENDING_QUEUED;
}

/** Redis pub/sub channel of status changes (channels are not key-prefixed, so it names orders). */
export const STATUS_CHANNEL = 'orders:status';

/**
 * Moves a pending order to a terminal status, once: a second outcome for the same order (a
 * duplicate or late event) changes nothing. The order leaves the pending indexes; with a time
 * in ARGV[8], the order that changed is listed to compensate in the same step. A terminal order
 * (and its history) expires ARGV[9] seconds later: its retention starts in the step that ends it.
 * KEYS: order:<id>, order:<id>:history, the in-flight blocking checkouts, the pending queued
 * orders, the orders to compensate. ARGV: status, reason, at, change JSON, channel, totalCents
 * ('' keeps it), order id, listed-at ms or '', retention s. Returns the order's mode (checkout
 * path) when it changed it, else 0.
 */
const TRANSITION = `
redis.call('ZREM', KEYS[3], ARGV[7])
redis.call('ZREM', KEYS[4], ARGV[7])
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'reason', ARGV[2], 'updatedAt', ARGV[3])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'totalCents', ARGV[6]) end
redis.call('RPUSH', KEYS[2], ARGV[4])
if ARGV[1] ~= 'pending' then
  redis.call('EXPIRE', KEYS[1], ARGV[9])
  redis.call('EXPIRE', KEYS[2], ARGV[9])
end
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[5], ARGV[8], ARGV[7]) end
redis.call('PUBLISH', ARGV[5], cjson.encode({orderId = redis.call('HGET', KEYS[1], 'id'), status = ARGV[1]}))
return redis.call('HGET', KEYS[1], 'mode') or 'unknown'
`;

/**
 * Takes an order off the list to compensate unless it was listed again after ARGV[2] (ms).
 * KEYS: the orders to compensate. ARGV: order id, listed-up-to ms.
 */
const COMPENSATED = `
local listed = redis.call('ZSCORE', KEYS[1], ARGV[1])
if listed and tonumber(listed) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`;

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * How much longer than the orders' retention a user's list of orders lives after their latest
 * order was placed, and how much older than it an entry must be to be trimmed: an order is
 * terminal well within this (the saga's deadline and the sweepers count in minutes), so the list
 * outlives every order it names and drops only ids whose orders have expired.
 */
const USER_LIST_MARGIN_SECONDS = 24 * 3600;

/**
 * Binds an Idempotency-Key and writes the order it is bound to, in one step (create's writes,
 * in a script so that they happen only if the key is free). A key bound already is left alone
 * unless it holds exactly the stale binding the caller names (ARGV[3]), which it replaces.
 * KEYS: the key, order:<id>, its history, user:<id>:orders, the pending orders of its path
 * (in-flight blocking checkouts or pending queued orders), the order's outbox partition. ARGV:
 * binding, ttl s, stale binding or '', hash fields (JSON array), history entries (JSON array),
 * createdAt ms, order id, outbox entry or '', the user list's ttl s, its trim-before ms (as
 * create does with them).
 * Returns nil when it bound the key and wrote the order, else the binding that holds.
 */
const CREATE_WITH_KEY = `
local bound = redis.call('GET', KEYS[1])
if bound and bound ~= ARGV[3] then return bound end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('HSET', KEYS[2], unpack(cjson.decode(ARGV[4])))
for _, change in ipairs(cjson.decode(ARGV[5])) do redis.call('RPUSH', KEYS[3], change) end
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[10])
redis.call('EXPIRE', KEYS[4], ARGV[9])
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[7])
if ARGV[8] ~= '' then redis.call('XADD', KEYS[6], '*', 'key', ARGV[7], 'entry', ARGV[8]) end
return false
`;

/**
 * Orders' keys in Redis (under `orders:`): order:<id>, its history, user:<id>:orders, the
 * pending orders of each path (blocking-in-flight, queued-pending), the rejected orders still to
 * compensate (to-compensate), and the outbox's partitions (Outbox).
 * A terminal order and its history expire ORDER_RETENTION_SECONDS after the step that ended
 * it; a user's list expires that long (and a margin) after their latest order, and drops the ids
 * of orders placed before that at each new order. The indexes hold pending orders only.
 * Counts orders placed and completed (CheckoutMetrics) where those changes really happen.
 */
@Injectable()
export class OrderRepository extends OrderStore {
  private readonly metrics = new CheckoutMetrics();
  private readonly retentionSeconds: number;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    private readonly outbox: Outbox,
    config: OrdersConfig,
  ) {
    super();
    this.retentionSeconds = config.orderRetentionSeconds;
  }

  /** Writes a new order; with `outboxEntry`, its event goes into the outbox in the same MULTI. */
  async create(order: Order, outboxEntry?: SerializedEvent): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(`order:${order.id}`, fieldsOf(order));
    for (const change of order.history)
      multi.rpush(`order:${order.id}:history`, JSON.stringify(change));
    const list = this.userList(order);
    multi.zadd(list.key, Date.parse(order.createdAt), order.id);
    multi.zremrangebyscore(list.key, '-inf', `(${String(list.trimBeforeMs)}`);
    multi.expire(list.key, list.ttlSeconds);
    if (outboxEntry !== undefined) this.outbox.append(multi, order.id, outboxEntry);
    multi.zadd(pendingIndexOf(order.mode), Date.parse(order.createdAt), order.id);
    await multi.exec();
    this.metrics.orderPlaced(order.mode);
  }

  /**
   * The key is kept 24 h under idempotency:<user>:<key>, as `<fingerprint>|<order id>`, and
   * set by the same script that writes the order: a crash or a Redis error leaves both or
   * neither.
   */
  async createWithKey(
    order: Order,
    binding: IdempotencyBinding,
    outboxEntry?: SerializedEvent,
  ): Promise<IdempotencyClaim> {
    const { userId, key, fingerprint, replacing } = binding;
    const list = this.userList(order);
    const earlier = (await this.redis.eval(
      CREATE_WITH_KEY,
      6,
      `idempotency:${userId}:${key}`,
      `order:${order.id}`,
      `order:${order.id}:history`,
      list.key,
      pendingIndexOf(order.mode),
      this.outbox.streamOf(order.id),
      `${fingerprint}|${order.id}`,
      IDEMPOTENCY_TTL_SECONDS,
      replacing ? `${replacing.fingerprint}|${replacing.orderId}` : '',
      JSON.stringify(Object.entries(fieldsOf(order)).flat()),
      JSON.stringify(order.history.map((change) => JSON.stringify(change))),
      Date.parse(order.createdAt),
      order.id,
      outboxEntry ?? '',
      list.ttlSeconds,
      list.trimBeforeMs,
    )) as string | null;
    if (earlier === null) {
      this.metrics.orderPlaced(order.mode);
      return { orderId: order.id, fingerprint, claimed: true };
    }
    const separator = earlier.lastIndexOf('|');
    return {
      orderId: earlier.slice(separator + 1),
      fingerprint: earlier.slice(0, separator),
      claimed: false,
    };
  }

  transition(
    orderId: string,
    status: OrderStatus,
    reason: string,
    totalCents?: number,
  ): Promise<boolean> {
    return this.change(orderId, { status, reason, at: new Date(), totalCents });
  }

  rejectToCompensate(orderId: string, reason: string, at: Date): Promise<boolean> {
    return this.change(orderId, { status: 'rejected', reason, at, listToCompensate: true });
  }

  async markToCompensate(orderId: string, at: Date): Promise<void> {
    await this.redis.zadd(TO_COMPENSATE, at.getTime(), orderId);
  }

  toCompensate(listedBefore: Date, limit = 100): Promise<string[]> {
    return this.redis.zrangebyscore(TO_COMPENSATE, 0, listedBefore.getTime(), 'LIMIT', 0, limit);
  }

  async compensated(orderId: string, listedUpTo: Date): Promise<void> {
    await this.redis.eval(COMPENSATED, 1, TO_COMPENSATE, orderId, listedUpTo.getTime());
  }

  /** The TRANSITION script: true when it moved the order out of pending. */
  private async change(orderId: string, change: OrderChange): Promise<boolean> {
    const { status, reason, at, totalCents, listToCompensate } = change;
    const entry: StatusChange = { status, reason, at: at.toISOString() };
    const changed = (await this.redis.eval(
      TRANSITION,
      5,
      `order:${orderId}`,
      `order:${orderId}:history`,
      IN_FLIGHT_BLOCKING,
      PENDING_QUEUED,
      TO_COMPENSATE,
      status,
      reason,
      entry.at,
      JSON.stringify(entry),
      STATUS_CHANNEL,
      totalCents === undefined ? '' : String(totalCents),
      orderId,
      listToCompensate ? String(at.getTime()) : '',
      this.retentionSeconds,
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

  /** Queued orders placed before `olderThan` that are still pending, oldest first. */
  async overdueQueued(olderThan: Date, limit = 100): Promise<string[]> {
    return this.redis.zrangebyscore(PENDING_QUEUED, 0, olderThan.getTime(), 'LIMIT', 0, limit);
  }

  /** The user's list of orders, its ttl from this order on, and the oldest entry it keeps. */
  private userList(order: Order): { key: string; ttlSeconds: number; trimBeforeMs: number } {
    const keepSeconds = this.retentionSeconds + USER_LIST_MARGIN_SECONDS;
    return {
      key: `user:${order.userId}:orders`,
      ttlSeconds: keepSeconds,
      trimBeforeMs: Date.parse(order.createdAt) - keepSeconds * 1000,
    };
  }

  async listIdsForUser(userId: string, limit: number): Promise<string[]> {
    return this.redis.zrevrange(`user:${userId}:orders`, 0, limit - 1);
  }
}

/** One move of an order out of pending (the TRANSITION script's arguments). */
interface OrderChange {
  readonly status: OrderStatus;
  readonly reason: string;
  readonly at: Date;
  readonly totalCents?: number | undefined;
  /** List the order to compensate in the same step (at `at`). */
  readonly listToCompensate?: boolean;
}

/** An order's hash fields, as create and createWithKey store them. */
function fieldsOf(order: Order): Record<string, string> {
  return {
    id: order.id,
    userId: order.userId,
    mode: order.mode,
    status: order.status,
    reason: order.reason,
    lines: JSON.stringify(order.lines),
    paymentMethod: order.paymentMethod,
    totalCents: String(order.totalCents),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
