import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { InventoryConfig } from '../../../config';
import { type CatalogItem, type StockedItem } from '../../../domain/catalog';
import { StockStore } from '../../../domain/ports';
import {
  type Reservation,
  type ReservationLine,
  type RejectionReason,
} from '../../../domain/reservation';

/**
 * All-or-nothing reservation, atomic in Redis, so no interleaving of concurrent orders can
 * oversell. Idempotent: a second call for the same order returns the first outcome. The
 * reservation expires ARGV[3] seconds after it is written (its retention).
 * KEYS[1] = reservation:<order>, KEYS[2..] = stock:<sku>; ARGV[1] = lines JSON, ARGV[2] = total,
 * ARGV[3] = retention s, ARGV[4..] = quantities in KEYS order.
 */
const RESERVE = `
local existing = redis.call('HGET', KEYS[1], 'status')
if existing then return {existing, redis.call('HGET', KEYS[1], 'reason') or ''} end
for i = 2, #KEYS do
  local available = redis.call('GET', KEYS[i])
  if not available then
    redis.call('HSET', KEYS[1], 'status', 'rejected', 'reason', 'unknown_sku', 'lines', ARGV[1], 'total', 0)
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    return {'rejected', 'unknown_sku'}
  end
  if tonumber(available) < tonumber(ARGV[i + 2]) then
    redis.call('HSET', KEYS[1], 'status', 'rejected', 'reason', 'out_of_stock', 'lines', ARGV[1], 'total', 0)
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    return {'rejected', 'out_of_stock'}
  end
end
for i = 2, #KEYS do redis.call('DECRBY', KEYS[i], ARGV[i + 2]) end
redis.call('HSET', KEYS[1], 'status', 'reserved', 'reason', '', 'lines', ARGV[1], 'total', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'reserved', ''}
`;

/**
 * Returns a reservation's stock exactly once. Releasing an unknown order leaves a tombstone, so
 * a Reserve that arrives late (after its caller gave up and compensated) takes no stock. The
 * released reservation (or tombstone) expires ARGV[2] seconds later.
 * KEYS[1] = reservation:<order>; ARGV[1] = the stock key prefix, ARGV[2] = retention s.
 */
const RELEASE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  redis.call('HSET', KEYS[1], 'status', 'released', 'reason', '', 'lines', '[]', 'total', 0)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 'released'
end
if status ~= 'reserved' then return status end
local lines = cjson.decode(redis.call('HGET', KEYS[1], 'lines'))
for _, line in ipairs(lines) do redis.call('INCRBY', ARGV[1] .. line.sku, line.quantity) end
redis.call('HSET', KEYS[1], 'status', 'released')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 'released'
`;

/**
 * Inventory's keys in Redis (all under the `inventory:` prefix). Nothing else touches them.
 * The catalog (item:<sku>, catalog) and the stock (stock:<sku>) are kept; each reservation:<order>
 * expires RESERVATION_RETENTION_SECONDS after its latest change, set by the script that changes it.
 */
@Injectable()
export class InventoryRepository extends StockStore {
  private readonly retentionSeconds: string;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    config: InventoryConfig,
  ) {
    super();
    this.retentionSeconds = String(config.reservationRetentionSeconds);
  }

  /** Writes the catalog and its stock once; later starts keep the current stock. */
  async seed(items: readonly (CatalogItem & { readonly stock: number })[]): Promise<void> {
    for (const item of items) {
      const multi = this.redis.multi();
      multi.hset(`item:${item.sku}`, { name: item.name, priceCents: item.priceCents });
      multi.sadd('catalog', item.sku);
      multi.set(`stock:${item.sku}`, item.stock, 'NX');
      await multi.exec();
    }
  }

  override async listItems(): Promise<StockedItem[]> {
    const skus = (await this.redis.smembers('catalog')).sort();
    const items = await Promise.all(skus.map((sku) => this.findItem(sku)));
    return items.filter((item): item is StockedItem => item !== undefined);
  }

  override async findItem(sku: string): Promise<StockedItem | undefined> {
    const [item, stock] = await Promise.all([
      this.redis.hgetall(`item:${sku}`),
      this.redis.get(`stock:${sku}`),
    ]);
    if (!item.name || stock === null) return undefined;
    return { sku, name: item.name, priceCents: Number(item.priceCents), available: Number(stock) };
  }

  override async reserve(
    orderId: string,
    lines: readonly ReservationLine[],
    totalCents: number,
  ): Promise<Reservation> {
    const keys = [`reservation:${orderId}`, ...lines.map((line) => `stock:${line.sku}`)];
    const args = [
      JSON.stringify(lines),
      String(totalCents),
      this.retentionSeconds,
      ...lines.map((line) => String(line.quantity)),
    ];
    await this.redis.eval(RESERVE, keys.length, ...keys, ...args);
    return this.requireReservation(orderId);
  }

  override async release(orderId: string): Promise<Reservation> {
    const prefix = `${this.redis.options.keyPrefix ?? ''}stock:`;
    await this.redis.eval(RELEASE, 1, `reservation:${orderId}`, prefix, this.retentionSeconds);
    return this.requireReservation(orderId);
  }

  async findReservation(orderId: string): Promise<Reservation | undefined> {
    const hash = await this.redis.hgetall(`reservation:${orderId}`);
    if (!hash.status) return undefined;
    const lines = JSON.parse(hash.lines ?? '[]') as ReservationLine[];
    if (hash.status === 'rejected') {
      return {
        orderId,
        status: 'rejected',
        reason: hash.reason as RejectionReason,
        lines,
        totalCents: 0,
      };
    }
    const status = hash.status === 'reserved' ? 'reserved' : 'released';
    return { orderId, status, lines, totalCents: Number(hash.total ?? 0) };
  }

  private async requireReservation(orderId: string): Promise<Reservation> {
    const reservation = await this.findReservation(orderId);
    if (!reservation) throw new Error(`reservation ${orderId} vanished`);
    return reservation;
  }
}
