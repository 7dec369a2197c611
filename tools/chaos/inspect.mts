// Reads the books from where they live — Redis and the broker (rabbitmqctl for depths, an AMQP
// client for the parked messageIds) — and audits them.
import { type Redis } from 'ioredis';
import { AmqpClient, CONSUMING_SERVICES, listQueues, queuesOf } from '@junction/testkit';
import { auditBooks, type BooksReport } from './books.mts';
import { type Ledger, readLedger } from './ledger.mts';
import { type Placement, type StockedSku } from './load.mts';
import { CHAOS_RABBITMQ_URL, CHAOS_VHOST } from './settings.mts';

export async function inspectBooks(
  redis: Redis,
  catalog: readonly StockedSku[],
  placements: readonly Placement[],
  expectedParked: ReadonlyMap<string, readonly string[]>,
): Promise<{ books: BooksReport; ledger: Ledger }> {
  const [ledger, queues, parked] = await Promise.all([
    readLedger(
      redis,
      catalog.map((item) => item.sku),
    ),
    listQueues(CHAOS_VHOST),
    readParkedMessageIds(),
  ]);
  const books = auditBooks({
    ledger,
    placements,
    startingStock: new Map(catalog.map((item) => [item.sku, item.stock])),
    queues,
    parked,
    expectedParked,
  });
  return { books, ledger };
}

async function readParkedMessageIds(): Promise<Map<string, string[]>> {
  const amqp = await AmqpClient.connect(CHAOS_RABBITMQ_URL);
  try {
    const parked = new Map<string, string[]>();
    for (const service of CONSUMING_SERVICES) {
      const queue = queuesOf(service).parking;
      parked.set(queue, await amqp.peekMessageIds(queue));
    }
    return parked;
  } finally {
    await amqp.close();
  }
}
