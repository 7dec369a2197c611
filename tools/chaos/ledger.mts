// The books as Redis holds them, read directly from each service's keyspace (never through the
// services): orders, reservations and stock, payments, and what is left in the outbox.
import { outboxLength, readHashes, REDIS_KEYS } from '@junction/testkit';
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
  const [orders, reservations, payments, captured, stock, waiting] = await Promise.all([
    readHashes(redis, REDIS_KEYS.orderPrefix, (id, hash) => ({
      id,
      status: hash.status ?? '',
      reason: hash.reason ?? '',
      mode: hash.mode ?? '',
      totalCents: Number(hash.totalCents ?? 0),
      lines: parseLines(hash.lines),
      createdAt: hash.createdAt ?? '',
      updatedAt: hash.updatedAt ?? '',
    })),
    readHashes(redis, REDIS_KEYS.reservationPrefix, (orderId, hash) => ({
      orderId,
      status: hash.status ?? '',
      lines: parseLines(hash.lines),
    })),
    readHashes(redis, REDIS_KEYS.paymentPrefix, (orderId, hash) => ({
      orderId,
      status: hash.status ?? '',
      amountCents: Number(hash.amountCents ?? 0),
    })),
    redis.zrange(REDIS_KEYS.captured, 0, -1),
    Promise.all(
      skus.map(async (sku) => [sku, Number(await redis.get(`${REDIS_KEYS.stockPrefix}${sku}`))]),
    ),
    outboxLength(redis),
  ]);
  return {
    orders,
    reservations,
    payments,
    captured: new Set(captured),
    stock: new Map(stock as [string, number][]),
    outboxLength: waiting,
  };
}

function parseLines(raw: string | undefined): OrderLine[] {
  if (raw === undefined || raw === '') return [];
  return JSON.parse(raw) as OrderLine[];
}
