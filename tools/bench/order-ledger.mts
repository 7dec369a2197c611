// Counting orders in orders' Redis keyspace: the bench's proof that no accepted order was lost.
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
  async statuses(ids: readonly string[]): Promise<(string | null)[]> {
    const statuses: (string | null)[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(i, i + 500)) pipeline.hget(`orders:order:${id}`, 'status');
      const replies = (await pipeline.exec()) ?? [];
      statuses.push(...replies.map(([, value]) => (typeof value === 'string' ? value : null)));
    }
    return statuses;
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
  async all(): Promise<Record<string, number>> {
    const byStatus: Record<string, number> = {};
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', 'orders:order:*', 'COUNT', 1000);
      cursor = next;
      const orderKeys = keys.filter((key) => !key.endsWith(':history'));
      const pipeline = this.redis.pipeline();
      for (const key of orderKeys) pipeline.hget(key, 'status');
      for (const [, status] of (await pipeline.exec()) ?? []) {
        const name = typeof status === 'string' ? status : 'missing';
        byStatus[name] = (byStatus[name] ?? 0) + 1;
      }
    } while (cursor !== '0');
    return byStatus;
  }

  /** Plenty of stock, so out_of_stock never hides what the bench measures. */
  async stock(sku: string, units: number): Promise<void> {
    await this.redis.set(`inventory:stock:${sku}`, units);
  }

  close(): void {
    this.redis.disconnect();
  }
}
