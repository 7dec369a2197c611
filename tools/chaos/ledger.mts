// The books as Redis holds them, read directly from each service's keyspace (never through the
// services): orders, reservations and stock, payments, and what is left in the outbox.
import { type Redis } from 'ioredis';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface LedgerOrder {
  readonly id: string;
  readonly status: string;
  readonly reason: string;
  readonly mode: string;
  readonly totalCents: number;
  readonly lines: readonly OrderLine[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface LedgerReservation {
  readonly orderId: string;
  readonly status: string;
  readonly lines: readonly OrderLine[];
}

export interface LedgerPayment {
  readonly orderId: string;
  readonly status: string;
  readonly amountCents: number;
}

export interface Ledger {
  readonly orders: ReadonlyMap<string, LedgerOrder>;
  readonly reservations: ReadonlyMap<string, LedgerReservation>;
  readonly payments: ReadonlyMap<string, LedgerPayment>;
  /** Members of payment's `captured` set. */
  readonly captured: ReadonlySet<string>;
  readonly stock: ReadonlyMap<string, number>;
  readonly outboxLength: number;
}

export async function readLedger(redis: Redis, skus: readonly string[]): Promise<Ledger> {
  const [orders, reservations, payments, captured, stock, outboxLength] = await Promise.all([
    readHashes(redis, 'orders:order:', (id, hash) => ({
      id,
      status: hash.status ?? '',
      reason: hash.reason ?? '',
      mode: hash.mode ?? '',
      totalCents: Number(hash.totalCents ?? 0),
      lines: parseLines(hash.lines),
      createdAt: hash.createdAt ?? '',
      updatedAt: hash.updatedAt ?? '',
    })),
    readHashes(redis, 'inventory:reservation:', (orderId, hash) => ({
      orderId,
      status: hash.status ?? '',
      lines: parseLines(hash.lines),
    })),
    readHashes(redis, 'payment:payment:', (orderId, hash) => ({
      orderId,
      status: hash.status ?? '',
      amountCents: Number(hash.amountCents ?? 0),
    })),
    redis.smembers('payment:captured'),
    Promise.all(skus.map(async (sku) => [sku, Number(await redis.get(`inventory:stock:${sku}`))])),
    redis.llen('orders:outbox'),
  ]);
  return {
    orders,
    reservations,
    payments,
    captured: new Set(captured),
    stock: new Map(stock as [string, number][]),
    outboxLength,
  };
}

/** Every hash `<prefix><id>` (not `<prefix><id>:<more>`), mapped by id. */
async function readHashes<T>(
  redis: Redis,
  prefix: string,
  map: (id: string, hash: Record<string, string>) => T,
): Promise<Map<string, T>> {
  const keys = (await scanKeys(redis, `${prefix}*`)).filter(
    (key) => !key.slice(prefix.length).includes(':'),
  );
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hgetall(key);
  const replies = (await pipeline.exec()) ?? [];
  const entries = new Map<string, T>();
  keys.forEach((key, i) => {
    const [error, hash] = replies[i] ?? [];
    if (error) throw error;
    entries.set(
      key.slice(prefix.length),
      map(key.slice(prefix.length), hash as Record<string, string>),
    );
  });
  return entries;
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

function parseLines(raw: string | undefined): OrderLine[] {
  if (raw === undefined || raw === '') return [];
  return JSON.parse(raw) as OrderLine[];
}
