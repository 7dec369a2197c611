// How many bytes of Redis an order costs, and what that means at a rate of orders per day.
// Starts the services on a Redis database, vhost and ports of its own, places a batch of
// blocking and then of queued orders (approved and declined, each with an Idempotency-Key),
// waits until they are terminal and the saga is idle, and diffs MEMORY USAGE of every key of
// the database before and after each batch, by key family (testkit's KEY_FAMILIES) with the
// TTL the keys carry (after warm-up orders, so that what the first orders create once is not
// counted per order). Needs the services built (`npm run footprint` builds them first).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  AmqpClient,
  CARDS,
  CONSUMING_SERVICES,
  familyOf,
  HttpJson,
  orderBody,
  outboxLength,
  PLENTIFUL_SKU,
  queuesOf,
  rabbitmqUrl,
  redisBytes,
  removeInfrastructureAt,
  resetInfrastructureAt,
  scanKeys,
  setStock,
  Shopper,
  sleep,
  until,
} from '@junction/testkit';
import { Redis } from 'ioredis';
import { portsOf, startTopology, stopAll } from '../local/topology.mts';
import { type MeasuredKey, footprintOf, report } from './footprint-table.mts';

const USAGE = `Usage: npm run footprint -- [options]

Measures the Redis bytes per order of each checkout path, by key family, and the retention
arithmetic (bytes per order × orders/day × retention) against a maxmemory.

  --orders N          orders per outcome (approved, declined) and path (default 100)
  --orders-per-day N  the rate for the arithmetic (default 10000)
  --maxmemory V       Redis's maxmemory for the arithmetic (default 80mb, the chart's)
  --redis URL         the Redis database to use, emptied before and after
                      (default redis://127.0.0.1:6379/15)
  --vhost NAME        the RabbitMQ vhost to use, created and deleted (default junction-footprint)
  --port-offset N     added to every service port (default 600)
  -h, --help          this text
`;

/** Queued warm-up orders per outcome: 64 reach each of the 8 outbox partitions but by a fluke. */
const WARM_UP_QUEUED = 32;

interface Options {
  readonly orders: number;
  readonly ordersPerDay: number;
  readonly maxmemory: string;
  readonly redisUrl: string;
  readonly vhost: string;
  readonly portOffset: number;
}

function options(argv: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      orders: { type: 'string', default: '100' },
      'orders-per-day': { type: 'string', default: '10000' },
      maxmemory: { type: 'string', default: '80mb' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379/15' },
      vhost: { type: 'string', default: 'junction-footprint' },
      'port-offset': { type: 'string', default: '600' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const count = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  redisBytes(values.maxmemory);
  return {
    orders: count('orders', values.orders),
    ordersPerDay: count('orders-per-day', values['orders-per-day']),
    maxmemory: values.maxmemory,
    redisUrl: values.redis,
    vhost: values.vhost,
    portOffset: count('port-offset', values['port-offset']),
  };
}

/** Every key of the database: MEMORY USAGE (exact: SAMPLES 0) and PTTL. */
async function measure(redis: Redis): Promise<Map<string, MeasuredKey>> {
  const keys = await scanKeys(redis, '*');
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0).pttl(key);
  const replies = (await pipeline.exec()) ?? [];
  const measured = new Map<string, MeasuredKey>();
  keys.forEach((key, i) => {
    const bytes = Number(replies[2 * i]?.[1] ?? 0);
    const ttlMs = Number(replies[2 * i + 1]?.[1] ?? -2);
    if (bytes > 0 && ttlMs !== -2) measured.set(key, { bytes, ttlMs });
  });
  return measured;
}

/** Places `orders` approved and `orders` declined checkouts of `mode`, and waits for their end. */
async function placeBatch(
  ordersUrl: string,
  shopper: Shopper,
  mode: 'blocking' | 'queued',
  orders: number,
): Promise<void> {
  const ids: string[] = [];
  for (const paymentMethod of [CARDS.approved, CARDS.declined]) {
    for (let i = 0; i < orders; i++) {
      const response = await fetch(`${ordersUrl}/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await shopper.token()}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(orderBody({ sku: PLENTIFUL_SKU, paymentMethod, mode })),
      });
      const body = (await response.json()) as { id?: string };
      if (response.status !== 201 && response.status !== 202) {
        throw new Error(
          `POST /orders answered ${String(response.status)}: ${JSON.stringify(body)}`,
        );
      }
      ids.push(body.id ?? '');
    }
  }
  for (const id of ids) {
    const ended = await until(async () => {
      const response = await fetch(`${ordersUrl}/orders/${id}`, {
        headers: { authorization: `Bearer ${await shopper.token()}` },
      });
      return ((await response.json()) as { status?: string }).status !== 'pending';
    }, 60_000);
    if (!ended) throw new Error(`order ${id} still pending after 60 s`);
  }
}

/** The outbox published and no saga message waiting: no write of the batch is still to come. */
async function untilIdle(redis: Redis, amqpUrl: string): Promise<void> {
  const idle = await until(async () => {
    if ((await outboxLength(redis)) > 0) return false;
    const depths = await AmqpClient.with(amqpUrl, (amqp) =>
      Promise.all(CONSUMING_SERVICES.map((s) => amqp.queueDepth(queuesOf(s).main))),
    );
    return depths.every((depth) => depth === 0);
  }, 60_000);
  if (!idle) throw new Error('the saga did not go idle within 60 s');
  await sleep(500);
}

async function main(argv: readonly string[]): Promise<number> {
  const opts = options(argv);
  if (!opts) {
    process.stdout.write(USAGE);
    return 0;
  }
  const place = { redisUrl: opts.redisUrl, vhost: opts.vhost };
  const amqpUrl = rabbitmqUrl(opts.vhost);
  await resetInfrastructureAt(place);
  const services = await startTopology({
    redisUrl: opts.redisUrl,
    rabbitmqUrl: amqpUrl,
    portOffset: opts.portOffset,
    onLine: () => undefined,
  });
  const redis = new Redis(opts.redisUrl);
  const http = new HttpJson();
  try {
    const base = (service: string) =>
      `http://127.0.0.1:${String(portsOf(service, opts.portOffset).http)}`;
    await setStock(redis, PLENTIFUL_SKU, 1_000_000);
    const shopper = await Shopper.register(http, base('auth'), {
      label: 'footprint',
      displayName: 'Footprint',
    });
    const info = await redis.info('memory');
    const startup = Number(/used_memory_startup:(\d+)/.exec(info)?.[1] ?? 0);
    // Warm-up orders first: what the first orders create once (the user's list, the captured
    // index, the outbox's partition streams, which stay when emptied) is not a cost per order.
    await placeBatch(base('orders'), shopper, 'blocking', 1);
    await placeBatch(base('orders'), shopper, 'queued', WARM_UP_QUEUED);
    const paths = [];
    let baseline = 0;
    for (const mode of ['blocking', 'queued'] as const) {
      await untilIdle(redis, amqpUrl);
      const before = await measure(redis);
      if (mode === 'blocking') baseline = [...before.values()].reduce((s, k) => s + k.bytes, 0);
      await placeBatch(base('orders'), shopper, mode, opts.orders);
      await untilIdle(redis, amqpUrl);
      const after = await measure(redis);
      paths.push({ name: mode, families: footprintOf(before, after, 2 * opts.orders, familyOf) });
    }
    process.stdout.write(
      `${String(2 * opts.orders)} orders per path (half approved, half declined), ` +
        `each with an Idempotency-Key; MEMORY USAGE of every key before and after.\n` +
        `${report(paths, opts.ordersPerDay, redisBytes(opts.maxmemory), baseline + startup)}\n`,
    );
    return 0;
  } finally {
    http.close();
    redis.disconnect();
    await stopAll(services);
    await removeInfrastructureAt(place);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`footprint: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
