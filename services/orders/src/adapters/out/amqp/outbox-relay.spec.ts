import {
  AmqpConnection,
  EVENTS_EXCHANGE,
  EventPublisher,
  type OutgoingEvent,
  type PublishOptions,
} from '@junction/messaging';
import { AppLogger } from '@junction/platform';
import { TestRedis, uniqueName } from '@junction/platform/testing';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { type Redis } from 'ioredis';
import pino from 'pino';
import { OrdersConfig } from '../../../config';
import { Outbox } from '../redis/outbox';
import { OutboxRelay } from './outbox-relay';

// The relay against the machine's Redis and RabbitMQ: relays sharing one outbox, one dying
// mid-batch, and the entries that cannot be published. Every run has its own key prefix and
// its own routing keys, so it meets no other test's messages.

jest.setTimeout(90_000);

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const logger = new AppLogger(pino({ level: 'silent' }));

function configWith(env: Record<string, string> = {}): OrdersConfig {
  return new OrdersConfig(
    OrdersConfig.env.parse({
      OUTBOX_PARTITIONS: '8',
      OUTBOX_BATCH_SIZE: '32',
      OUTBOX_LEASE_MS: '1500',
      OUTBOX_UNROUTABLE_ATTEMPTS: '3',
      ...env,
    }),
  );
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${String(ms)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * An EventPublisher that records what the broker confirmed to it and can be held after the
 * confirm, before the relay hears of it (`after`).
 */
class WatchedPublisher extends EventPublisher {
  readonly confirmed: string[] = [];
  after: Promise<void> | undefined;

  override async publish(event: OutgoingEvent, options?: PublishOptions): Promise<void> {
    await super.publish(event, options);
    this.confirmed.push(event.messageId);
    await this.after;
  }
}

/** The real outbox, counting which partitions the relay reads. */
class CountedOutbox extends Outbox {
  readonly reads: number[] = [];

  override read(partition: number, count: number): ReturnType<Outbox['read']> {
    this.reads.push(partition);
    return super.read(partition, count);
  }
}

/** A relay as one orders replica runs it: its own Redis and AMQP connections. */
interface RunningRelay {
  readonly relay: OutboxRelay;
  readonly outbox: CountedOutbox;
  readonly publisher: WatchedPublisher;
  readonly redis: Redis;
  readonly connection: AmqpConnection;
  start(): void;
  stop(): Promise<void>;
}

/** What reached a queue bound to the test's routing key, in arrival order. */
interface Observer {
  readonly arrived: string[];
  close(): Promise<void>;
}

describe(OutboxRelay.name, () => {
  let store: TestRedis;
  let broker: ChannelModel;
  const routingKey = `${uniqueName('relay')}.order.placed`;
  const relays: RunningRelay[] = [];

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'outbox-relay' });
    broker = await connect(AMQP_URL);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await store.cleanup();
  });

  afterAll(async () => {
    await broker.close();
    await store.close();
  });

  async function startRelay(config: OrdersConfig): Promise<RunningRelay> {
    const redis = store.anotherConnection();
    const connection = new AmqpConnection(AMQP_URL, uniqueName('orders'), logger.child({}));
    const publisher = new WatchedPublisher(connection);
    connection.start();
    await until('the relay’s channel', () => publisher.ready, 10_000);
    const outbox = new CountedOutbox(redis, config);
    const relay = new OutboxRelay(outbox, publisher, config, logger);
    let started = false;
    const running: RunningRelay = {
      relay,
      outbox,
      publisher,
      redis,
      connection,
      start: () => {
        started = true;
        relay.onApplicationBootstrap();
      },
      stop: async () => {
        publisher.after = undefined;
        if (started) await relay.beforeApplicationShutdown();
        outbox.onApplicationShutdown();
        await connection.close();
      },
    };
    relays.push(running);
    return running;
  }

  async function observe(key = routingKey): Promise<Observer> {
    const channel: Channel = await broker.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, key);
    const arrived: string[] = [];
    await channel.consume(
      queue,
      (message) => {
        if (message) arrived.push(String(message.properties.messageId));
      },
      { noAck: true },
    );
    return { arrived, close: () => channel.close() };
  }

  function event(orderId: string, n: number, key = routingKey): string {
    return JSON.stringify({
      routingKey: key,
      messageId: `${orderId}#${String(n)}`,
      type: key,
      body: { orderId, n },
    });
  }

  /** Writes entries as checkouts do: each in its own transaction, keyed by its order. */
  async function write(config: OrdersConfig, entries: readonly [string, string][]): Promise<void> {
    const outbox = new Outbox(store.redis, config);
    const pipeline = store.redis.multi();
    for (const [key, entry] of entries) outbox.append(pipeline, key, entry);
    await pipeline.exec();
    outbox.onApplicationShutdown();
  }

  /** Two events per order, each order's two written back to back: `orders` × 2 entries. */
  function twoPerOrder(orders: number): [string, string][] {
    return Array.from({ length: orders }, (_, i) => `order-${String(i)}`).flatMap((id) => [
      [id, event(id, 1)] as [string, string],
      [id, event(id, 2)] as [string, string],
    ]);
  }

  /** Each order's second event arrived after its first (first arrivals, with duplicates). */
  function inOrder(arrived: readonly string[]): string[] {
    const first = new Map<string, number>();
    arrived.forEach((id, at) => {
      if (!first.has(id)) first.set(id, at);
    });
    return [...first.keys()]
      .filter((id) => id.endsWith('#2'))
      .filter((id) => (first.get(id.replace(/#2$/, '#1')) ?? Infinity) > first.get(id)!);
  }

  const duplicates = (arrived: readonly string[]): string[] =>
    arrived.filter((id, at) => arrived.indexOf(id) !== at);

  it('two relays drain one outbox of 2,000 entries evenly: none twice, none lost, in order', async () => {
    const config = configWith();
    const observer = await observe();
    await write(config, twoPerOrder(1_000));
    const [a, b] = [await startRelay(config), await startRelay(config)];
    a.start();
    b.start();

    await until('2,000 events', () => new Set(observer.arrived).size === 2_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(observer.arrived).toHaveLength(2_000);
    expect(duplicates(observer.arrived)).toEqual([]);
    expect(inOrder(observer.arrived)).toEqual([]);
    for (const relay of [a, b]) {
      const share = relay.publisher.confirmed.length / 2_000;
      expect(share).toBeGreaterThanOrEqual(0.4);
      expect(share).toBeLessThanOrEqual(0.6);
    }
    expect([...a.relay.partitions(), ...b.relay.partitions()].sort()).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
    await until(
      'an empty outbox',
      async () => (await new Outbox(store.redis, config).size()) === 0,
    );
    await observer.close();
  });

  it('takes over the pending entries of a relay killed mid-batch', async () => {
    const config = configWith();
    const observer = await observe();
    await write(config, twoPerOrder(200));
    const dying = await startRelay(config);
    // Its first batch is confirmed by the broker, and it dies before deleting it.
    let release: () => void = () => undefined;
    dying.publisher.after = new Promise((resolve) => (release = resolve));
    dying.start();
    await until('a batch confirmed', () => dying.publisher.confirmed.length >= 10);
    await until('all its partitions', () => dying.relay.partitions().length === 8);
    // The replica dies: its connections go, nothing of it answers again.
    dying.redis.disconnect();
    await dying.connection.close();
    release();
    const confirmedByTheDead = [...dying.publisher.confirmed];

    const heir = await startRelay(config);
    heir.start();
    await until('every event', () => new Set(observer.arrived).size === 400);
    await until('the heir holds every partition', () => heir.relay.partitions().length === 8);
    expect(inOrder(observer.arrived)).toEqual([]);
    // What went out twice is what the dead relay had published but not deleted.
    const twice = duplicates(observer.arrived);
    expect(twice.length).toBeGreaterThan(0);
    for (const id of twice) expect(confirmedByTheDead).toContain(id);
    await until(
      'an empty outbox',
      async () => (await new Outbox(store.redis, config).size()) === 0,
    );
    await observer.close();
  });

  it("reads only a new order's partition when kicked, and finds an entry nobody kicked for", async () => {
    const config = configWith();
    const observer = await observe();
    const running = await startRelay(config);
    running.start();
    await until('all partitions', () => running.relay.partitions().length === 8);
    running.outbox.reads.length = 0;

    const orders = Array.from({ length: 20 }, (_, i) => `kicked-${String(i)}`);
    for (const id of orders) {
      await write(config, [[id, event(id, 1)]]);
      running.relay.kick(id);
      await until(`${id} published`, () => observer.arrived.includes(`${id}#1`), 10_000);
    }
    // A round of all 8 partitions per order (and another after it) would be 16 reads each; a
    // kicked partition is one or two, plus a sweep of all 8 every 500 ms.
    expect(running.outbox.reads.length).toBeLessThan(orders.length * 8);

    // Written by another replica (no kick here): the next sweep publishes it.
    await write(config, [['unkicked', event('unkicked', 1)]]);
    await until('the unkicked entry', () => observer.arrived.includes('unkicked#1'), 10_000);
    await observer.close();
  });

  it('holds kicked orders for its linger window and publishes them together, at once when 16 wait', async () => {
    const config = configWith({ OUTBOX_LINGER_MS: '10000' });
    const observer = await observe();
    const running = await startRelay(config);
    running.start();
    await until('all partitions', () => running.relay.partitions().length === 8);
    // Orders of one partition, so that a sweep (a read of all 8, every 500 ms) shows in the reads.
    const ids = Array.from({ length: 400 }, (_, i) => `lingering-${String(i)}`)
      .filter((id) => running.outbox.partitionOf(id) === 0)
      .slice(0, 16);
    expect(ids).toHaveLength(16);
    const swept = async (): Promise<number> => {
      const from = running.outbox.reads.length;
      await until('a sweep', () => new Set(running.outbox.reads.slice(from)).size === 8, 5_000);
      return running.outbox.reads.length;
    };
    const sweptAt = await swept();
    for (const id of ids.slice(0, 15)) {
      await write(config, [[id, event(id, 1)]]);
      running.relay.kick(id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Without a window each would be out a few ms after its kick.
    expect(observer.arrived).toEqual([]);
    const last = ids[15]!;
    await write(config, [[last, event(last, 1)]]);
    running.relay.kick(last);
    await until('all 16', () => observer.arrived.length === 16, 5_000);
    // Published by the 16th kick, not by a sweep (the next is 500 ms after the last) nor the timer.
    expect(running.outbox.reads.slice(sweptAt).filter((p) => p !== 0)).toEqual([]);
    expect(observer.arrived.sort()).toEqual(ids.map((id) => `${id}#1`).sort());
    await observer.close();
  });

  it('parks an entry the broker keeps returning as unroutable, and publishes what is behind it', async () => {
    const config = configWith({ OUTBOX_PARTITIONS: '1' });
    const observer = await observe();
    const nowhere = `${uniqueName('relay')}.nobody.listens`;
    await write(config, [
      ['lost-order', event('lost-order', 1, nowhere)],
      ['next-order', event('next-order', 1)],
    ]);
    const relay = await startRelay(config);
    relay.start();

    await until('the next order’s event', () => observer.arrived.includes('next-order#1'));
    const outbox = new Outbox(store.redis, config);
    await until('the unroutable one parked', async () => (await outbox.parked()).length === 1);
    const [parked] = await outbox.parked();
    expect(parked?.reason).toBe(`unroutable: no queue is bound to ${nowhere} (returned 3 times)`);
    expect(JSON.parse(parked!.entry)).toMatchObject({ messageId: 'lost-order#1' });
    expect(relay.publisher.confirmed).not.toContain('lost-order#1');
    await expect(outbox.size()).resolves.toBe(0);
    outbox.onApplicationShutdown();
    await observer.close();
  });

  it('parks malformed entries with the reason at once, without holding up the ones behind', async () => {
    const config = configWith({ OUTBOX_PARTITIONS: '1' });
    const observer = await observe();
    await write(config, [
      ['a', 'not json'],
      ['b', JSON.stringify({ routingKey, type: routingKey, body: {} })],
      ['c', event('c', 1)],
    ]);
    const relay = await startRelay(config);
    relay.start();

    await until('c’s event', () => observer.arrived.includes('c#1'));
    const outbox = new Outbox(store.redis, config);
    await until('both parked', async () => (await outbox.parked()).length === 2);
    const reasons = (await outbox.parked()).map((p) => p.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^malformed outbox entry: not JSON/),
      'malformed outbox entry: no messageId',
    ]);
    await expect(outbox.size()).resolves.toBe(0);
    outbox.onApplicationShutdown();
    await observer.close();
  });
});
