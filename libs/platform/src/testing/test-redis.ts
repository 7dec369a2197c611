import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedisOptions {
  /** Defaults to the machine's own Redis on 127.0.0.1:6379. */
  readonly url?: string;
  /** A readable tag put into the key prefix, e.g. the file or class under test. */
  readonly label?: string;
}

/**
 * A real Redis connection for one test file, confined to its own key prefix
 * (`test:<label>:<random>:`), so test files running in parallel, or twice in a row, never see
 * each other's keys. `cleanup` deletes exactly the keys under that prefix.
 */
export class TestRedis {
  readonly redis: Redis;
  readonly prefix: string;
  private readonly others: Redis[] = [];

  private constructor(url: string, prefix: string) {
    this.prefix = prefix;
    this.redis = new Redis(url, {
      keyPrefix: prefix,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectionName: prefix.slice(0, -1),
    });
  }

  /** Connects (failing fast with a readable message when Redis is not running). */
  static async connect(options: TestRedisOptions = {}): Promise<TestRedis> {
    const url = options.url ?? 'redis://127.0.0.1:6379';
    const label = (options.label ?? 'spec').replace(/[^A-Za-z0-9_-]/g, '-');
    const testRedis = new TestRedis(url, `test:${label}:${randomBytes(6).toString('hex')}:`);
    try {
      await testRedis.redis.connect();
    } catch (error) {
      testRedis.redis.disconnect();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`tests need Redis at ${url}: ${reason}`);
    }
    return testRedis;
  }

  /**
   * Another connection under the same prefix, so concurrent calls really race at the server
   * instead of queueing on one socket. Closed by `close`.
   */
  anotherConnection(): Redis {
    const connection = this.redis.duplicate();
    this.others.push(connection);
    return connection;
  }

  /** The keys this test file created, without the prefix. */
  async keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch.map((key) => key.slice(this.prefix.length)));
    } while (cursor !== '0');
    return [...new Set(found)].sort();
  }

  /** Deletes every key under this file's prefix, and nothing else. */
  async cleanup(): Promise<void> {
    const keys = await this.keys();
    for (let i = 0; i < keys.length; i += 500) {
      await this.redis.del(...keys.slice(i, i + 500));
    }
  }

  /** Cleans up, then closes the connection (call it in afterAll). */
  async close(): Promise<void> {
    try {
      await this.cleanup();
    } finally {
      for (const connection of this.others.splice(0)) connection.disconnect();
      await this.redis.quit().catch(() => undefined);
    }
  }
}
