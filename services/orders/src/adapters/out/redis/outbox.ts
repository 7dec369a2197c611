import { createHash } from 'node:crypto';
import { type OutgoingEvent } from '@junction/messaging';
import { type TraceCarrier } from '@junction/platform';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { metrics, type ObservableCallback, type ObservableGauge } from '@opentelemetry/api';
import { type ChainableCommander, Redis } from 'ioredis';
import { OrdersConfig } from '../../../config';
import { ORDERS_METER } from './checkout-metrics';

/**
 * One outbox entry (stored as JSON): the event, and the W3C trace context (traceparent,
 * tracestate, baggage) of the request that created it, so its publish continues that trace.
 * Entries written before the context was stored have none and publish in a trace of their own.
 */
export interface OutboxEntry extends OutgoingEvent {
  readonly traceContext?: TraceCarrier;
}

/** An entry as read from its partition: the stream id, the order it is about, the JSON. */
export interface StoredEntry {
  readonly id: string;
  /** The ordering key: entries with the same key are published in the order written. */
  readonly key: string;
  readonly entry: string;
}

/** The list the outbox was before it was partitioned; emptied into the partitions at boot. */
const LEGACY_OUTBOX = 'outbox';
/** Which relays are alive: member = relay id, score = when its heartbeat runs out (ms). */
const RELAYS = 'outbox:relays';

// Every key of a partition carries the partition's hash tag, so a partition's stream, lease and
// parking stream live in one Redis Cluster slot and one script may touch them together.
const streamKey = (partition: number): string => `outbox:{${String(partition)}}`;
const leaseKey = (partition: number): string => `outbox:{${String(partition)}}:lease`;
const parkedKey = (partition: number): string => `outbox:{${String(partition)}}:parked`;

/**
 * Moves the head of the old single-list outbox to its partition (the same hash as
 * partitionOf: the first 32 bits of the key's SHA-1, modulo the partitions). An entry whose order
 * id cannot be read keys on its own text; the relay parks it if it is malformed. KEYS: the list,
 * then every partition's stream. Returns 1 if it moved one.
 */
const MIGRATE_ONE = `
local head = redis.call('LPOP', KEYS[1])
if not head then return 0 end
local key = head
local ok, decoded = pcall(cjson.decode, head)
if ok and type(decoded) == 'table' and type(decoded.body) == 'table'
  and type(decoded.body.orderId) == 'string' then key = decoded.body.orderId end
local p = tonumber(string.sub(redis.sha1hex(key), 1, 8), 16) % (#KEYS - 1)
redis.call('XADD', KEYS[p + 2], '*', 'key', key, 'entry', head)
return 1
`;
/** Extends a lease the caller holds. KEYS: lease. ARGV: owner, ttl ms. 1 if still held. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
/** Gives a lease back. KEYS: lease. ARGV: owner. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
/**
 * Deletes published entries, only while the caller still holds the partition's lease (a relay
 * that lost it, paused past its ttl, must leave them to the new owner). KEYS: lease, stream.
 * ARGV: owner, ids…. Returns how many were deleted, or -1 when the lease is not the caller's.
 */
const REMOVE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
return redis.call('XDEL', KEYS[2], unpack(ARGV, 2))
`;
/**
 * Moves an entry that cannot be published to the partition's parking stream, with why.
 * KEYS: lease, stream, parked. ARGV: owner, id, entry, reason, at. -1 when not the lease owner.
 */
const PARK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('XADD', KEYS[3], '*', 'id', ARGV[2], 'entry', ARGV[3], 'reason', ARGV[4], 'at', ARGV[5])
return redis.call('XDEL', KEYS[2], ARGV[2])
`;

/**
 * The transactional outbox, partitioned: an event is written with its order (same MULTI) to
 * one of `partitions` Redis Streams, chosen by a hash of its ordering key (the order id), read
 * in order by the relay that holds the partition's lease, deleted only after the broker
 * confirmed it. One owner per partition keeps each order's events in the order written while
 * any number of relays share the partitions (docs/decisions.md says why not a consumer group).
 * A crash between publish and delete publishes an entry again, which consumers absorb (the
 * messageId is the same). Its length is the gauge `junction.outbox.length`, read from Redis
 * when metrics are collected (nothing is observed while Redis cannot answer).
 */
@Injectable()
export class Outbox implements OnApplicationShutdown {
  readonly partitions: number;
  private readonly gauge: ObservableGauge;
  private readonly observeLength: ObservableCallback = async (result) => {
    const length = await this.size().catch(() => undefined);
    if (length !== undefined) result.observe(length);
  };

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    config: OrdersConfig,
  ) {
    this.partitions = config.outbox.partitions;
    this.gauge = metrics.getMeter(ORDERS_METER).createObservableGauge('junction.outbox.length', {
      description: 'Events in the outbox, waiting to be published',
      unit: '{event}',
    });
    this.gauge.addCallback(this.observeLength);
  }

  onApplicationShutdown(): void {
    this.gauge.removeCallback(this.observeLength);
  }

  /** The partition of an ordering key: the same key, the same partition, on every replica. */
  partitionOf(key: string): number {
    return createHash('sha1').update(key).digest().readUInt32BE(0) % this.partitions;
  }

  /** Adds the write of `entry` to a transaction (the order's MULTI). */
  append(transaction: ChainableCommander, key: string, entry: string): void {
    transaction.xadd(this.streamOf(key), '*', 'key', key, 'entry', entry);
  }

  /** The stream an entry with this ordering key goes to (for a script that appends it). */
  streamOf(key: string): string {
    return streamKey(this.partitionOf(key));
  }

  /** Up to `count` entries of a partition, oldest first. */
  async read(partition: number, count: number): Promise<StoredEntry[]> {
    const rows = await this.redis.xrange(streamKey(partition), '-', '+', 'COUNT', count);
    return rows.map(([id, fields]) => ({
      id,
      key: fieldOf(fields, 'key'),
      entry: fieldOf(fields, 'entry'),
    }));
  }

  /** Deletes published entries; false when `owner` no longer holds the partition. */
  async remove(partition: number, owner: string, ids: readonly string[]): Promise<boolean> {
    if (ids.length === 0) return true;
    const removed = (await this.redis.eval(
      REMOVE,
      2,
      leaseKey(partition),
      streamKey(partition),
      owner,
      ...ids,
    )) as number;
    return removed >= 0;
  }

  /** Parks an entry with the reason; false when `owner` no longer holds the partition. */
  async park(
    partition: number,
    owner: string,
    stored: StoredEntry,
    reason: string,
  ): Promise<boolean> {
    const parked = (await this.redis.eval(
      PARK,
      3,
      leaseKey(partition),
      streamKey(partition),
      parkedKey(partition),
      owner,
      stored.id,
      stored.entry,
      reason,
      new Date().toISOString(),
    )) as number;
    return parked >= 0;
  }

  /** The parked entries of every partition, with their reasons (for operators and tests). */
  async parked(): Promise<{ id: string; entry: string; reason: string }[]> {
    const all = await Promise.all(
      this.partitionList().map((p) => this.redis.xrange(parkedKey(p), '-', '+')),
    );
    return all.flat().map(([, fields]) => ({
      id: fieldOf(fields, 'id'),
      entry: fieldOf(fields, 'entry'),
      reason: fieldOf(fields, 'reason'),
    }));
  }

  /** Takes a free partition for `owner` for `ttlMs`. */
  async acquire(partition: number, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(leaseKey(partition), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Extends `owner`'s lease; false when it lost it (expired, taken by another relay). */
  async renew(partition: number, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, leaseKey(partition), owner, ttlMs)) === 1;
  }

  async release(partition: number, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, leaseKey(partition), owner);
  }

  /** Says `relay` is alive for `ttlMs`; returns how many relays are (itself included). */
  async heartbeat(relay: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    const results = await this.redis
      .multi()
      .zadd(RELAYS, now + ttlMs, relay)
      .zremrangebyscore(RELAYS, '-inf', now)
      .zcard(RELAYS)
      .exec();
    return Math.max(1, Number(results?.[2]?.[1] ?? 1));
  }

  /** Takes `relay` out of the live relays at once (a graceful stop). */
  async leave(relay: string): Promise<void> {
    await this.redis.zrem(RELAYS, relay);
  }

  /** Events waiting in all partitions. */
  async size(): Promise<number> {
    const pipeline = this.redis.pipeline();
    for (const p of this.partitionList()) pipeline.xlen(streamKey(p));
    const results = (await pipeline.exec()) ?? [];
    return results.reduce((sum, [, length]) => sum + Number(length ?? 0), 0);
  }

  /**
   * Moves what an older orders left in the single-list outbox into the partitions, in order,
   * one entry per script (atomic: two replicas booting at once neither lose nor double one).
   */
  async migrateLegacy(): Promise<number> {
    const streams = this.partitionList().map(streamKey);
    let moved = 0;
    while (
      (await this.redis.eval(MIGRATE_ONE, 1 + streams.length, LEGACY_OUTBOX, ...streams)) === 1
    ) {
      moved += 1;
    }
    return moved;
  }

  private partitionList(): number[] {
    return Array.from({ length: this.partitions }, (_, p) => p);
  }
}

/** A field of a stream entry as XRANGE returns it: [name, value, name, value, …]. */
function fieldOf(fields: readonly string[], name: string): string {
  return fields[fields.indexOf(name) + 1] ?? '';
}
