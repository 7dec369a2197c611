// Counting orders in orders' Redis keyspace: the bench's proof that no accepted order was lost.
import { orderStatuses, ordersByStatus, setStock } from '@junction/testkit';
import { Redis } from 'ioredis';

export interface LedgerCount {
  /** Orders the client saw accepted (201/202). */
  readonly accepted: number;
  /** Of those, found in Redis with a terminal status. */
  readonly terminal: number;
  /** Of those, still pending (or missing) in Redis. */
  readonly notTerminal: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

export class OrderLedger {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url);
  }

  /** The status of each order in Redis (orders' keys: `orders:order:<id>`). */
  statuses(ids: readonly string[]): Promise<(string | null)[]> {
    return orderStatuses(this.redis, ids);
  }

  async count(ids: readonly string[]): Promise<LedgerCount> {
    const byStatus: Record<string, number> = {};
    for (const status of await this.statuses(ids)) {
      const key = status ?? 'missing';
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    const terminal = (byStatus.confirmed ?? 0) + (byStatus.rejected ?? 0);
    return { accepted: ids.length, terminal, notTerminal: ids.length - terminal, byStatus };
  }

  /** Every order in the keyspace, by status: what the whole bench left behind. */
  all(): Promise<Record<string, number>> {
    return ordersByStatus(this.redis);
  }

  /** Plenty of stock, so out_of_stock never hides what the bench measures. */
  stock(sku: string, units: number): Promise<void> {
    return setStock(this.redis, sku, units);
  }

  close(): void {
    this.redis.disconnect();
  }
}
