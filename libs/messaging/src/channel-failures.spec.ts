import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DomainError, ObservedDependencies } from '@junction/platform';
import { TestRedis, uniqueName } from '@junction/platform/testing';
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import pino from 'pino';
import { type ChannelReport } from './channel-health';
import { AmqpConnection } from './connection';
import { EventConsumer } from './consumer';
import { Inbox } from './inbox';
import { eventually as eventuallyWithin } from './spec/eventually';
import { type Made, Recorder } from './spec/recorder';
import { EventPublisher } from './publisher';
import { BrokerProxy } from './spec/broker-proxy';
import { consumerTopology, EVENTS_EXCHANGE, queueNames } from './topology';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.SPEC_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONFIRM_TIMEOUT_MS = 500;
const execFileAsync = promisify(execFile);
const logger = pino({ level: process.env.SPEC_LOG ?? 'silent' });

jest.setTimeout(60_000);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The shared poll, with this file's default limit. */
const eventually = <T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 20_000,
): Promise<T> => eventuallyWithin(probe, ms);

/** How `promise` ended within `ms`: a value, an error, or still pending (it hangs). */
async function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<
  { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | 'pending'
> {
  const timeout = sleep(ms).then(() => 'pending' as const);
  const outcome = promise.then(
    (value) => ({ status: 'fulfilled' as const, value }),
    (reason: unknown) => ({ status: 'rejected' as const, reason }),
  );
  return Promise.race([outcome, timeout]);
}

/**
 * The channels amqplib has open on `model` (its own bookkeeping: nothing public lists them),
 * so a spec can make the broker close one of them with a real channel-level error.
 */
function openChannels(model: ChannelModel): Channel[] {
  const internals = model as unknown as {
    connection: { channels: ({ channel: Channel } | null)[] };
  };
  return internals.connection.channels
    .slice(1)
    .filter((entry): entry is { channel: Channel } => entry !== null)
    .map((entry) => entry.channel);
}

/** A real channel-level error: the broker answers 404 and closes that channel (only). */
async function closeByBroker(channel: Channel): Promise<void> {
  await channel.checkQueue(uniqueName('no-such-queue')).catch(() => undefined);
}

/** A connection (optionally through a proxy), its /statusz report, and what it connected. */
class World {
  readonly service = uniqueName('chan');
  readonly names = queueNames(this.service);
  readonly routingKey = `${this.service}.made`;
  readonly observed = new ObservedDependencies(logger);
  readonly handler = new Recorder(this.routingKey);
  readonly connection: AmqpConnection;
  readonly models: ChannelModel[] = [];
  private consumer: EventConsumer | undefined;

  constructor(
    url: string,
    private readonly admin: ConfirmChannel,
  ) {
    this.connection = new AmqpConnection(
      url,
      this.service,
      logger,
      this.observed,
      consumerTopology(this.service, [this.routingKey]),
      { confirmTimeoutMs: CONFIRM_TIMEOUT_MS },
    );
    this.connection.onConnected((model) => {
      this.models.push(model);
      return Promise.resolve();
    });
  }

  async publisher(): Promise<EventPublisher> {
    const publisher = new EventPublisher(this.connection);
    this.connection.start();
    await eventually(() => publisher.ready);
    return publisher;
  }

  async startConsumer(inbox: Inbox): Promise<EventConsumer> {
    const consumer = new EventConsumer(
      this.connection,
      inbox,
      {
        service: this.service,
        prefetch: 4,
        maxAttempts: 5,
        retryDelayMs: 200,
        maxMessageBytes: 4096,
      },
      logger,
    );
    consumer.register(this.handler);
    consumer.start();
    this.connection.start();
    this.consumer = consumer;
    await eventually(() => consumer.consuming);
    return consumer;
  }

  channel(name: string): ChannelReport | undefined {
    const channels = this.observed.report().rabbitmq?.channels as
      Record<string, ChannelReport> | undefined;
    return channels?.[name];
  }

  get consumerChannel(): string {
    return `consumer ${this.names.main}`;
  }

  /** Publishes one event from outside (the spec's own connection), with confirms. */
  async publishFromOutside(n: number): Promise<Made> {
    const messageId = uniqueName('made');
    const body: Made = { messageId, type: this.routingKey, n };
    this.admin.publish(EVENTS_EXCHANGE, this.routingKey, Buffer.from(JSON.stringify(body)), {
      messageId,
      persistent: true,
      userId: 'guest',
    });
    await this.admin.waitForConfirms();
    return body;
  }

  async delete(): Promise<void> {
    await this.consumer?.stop();
    await this.connection.close();
    for (const queue of [this.names.main, this.names.retry, this.names.parking]) {
      await this.admin.deleteQueue(queue).catch(() => undefined);
    }
  }
}

function made(routingKey: string, n: number) {
  const messageId = uniqueName('made');
  return { routingKey, messageId, type: routingKey, body: { messageId, type: routingKey, n } };
}

describe('channel-level failures', () => {
  let store: TestRedis;
  let inbox: Inbox;
  let broker: ChannelModel;
  let admin: ConfirmChannel;
  let worlds: World[] = [];
  let proxies: BrokerProxy[] = [];

  beforeAll(async () => {
    store = await TestRedis.connect({ url: REDIS_URL, label: 'channel-failures' });
    inbox = new Inbox(store.redis);
    broker = await connect(AMQP_URL);
    admin = await broker.createConfirmChannel();
    await admin.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  });

  afterEach(async () => {
    for (const proxy of proxies) proxy.relayAgain();
    for (const world of worlds) await world.delete();
    for (const proxy of proxies) await proxy.close();
    worlds = [];
    proxies = [];
  });

  afterAll(async () => {
    await broker.close();
    await store.close();
  });

  function world(url = AMQP_URL): World {
    const made = new World(url, admin);
    worlds.push(made);
    return made;
  }

  async function proxied(): Promise<{ proxy: BrokerProxy; url: string }> {
    const proxy = new BrokerProxy();
    proxies.push(proxy);
    return { proxy, url: await proxy.listen() };
  }

  describe('a channel the broker closes while the connection stays up', () => {
    it('is opened again by the publisher, which publishes again', async () => {
      const w = world();
      const publisher = await w.publisher();
      await publisher.publish(made(w.routingKey, 1), { mandatory: true });
      const [channel] = openChannels(w.models[0]!);

      await closeByBroker(channel!);

      await eventually(() =>
        publisher.publish(made(w.routingKey, 2), { mandatory: true }).then(
          () => true,
          () => false,
        ),
      );
      expect(w.connection.isCurrent(w.models[0]!)).toBe(true);
      expect(w.channel('publisher')).toMatchObject({ state: 'open', recoveries: 1 });
      expect(w.channel('publisher')?.lastFailure?.error).toMatch(/NOT_FOUND/);
    });

    it('is opened again by the consumer, which consumes again', async () => {
      const w = world();
      await w.startConsumer(inbox);
      const [channel] = openChannels(w.models[0]!);

      await closeByBroker(channel!);
      await eventually(() => w.channel(w.consumerChannel)?.state === 'recovering');

      const after = await w.publishFromOutside(1);
      await eventually(() => w.handler.handled.some((m) => m.messageId === after.messageId));
      expect(w.connection.isCurrent(w.models[0]!)).toBe(true);
      expect(w.channel(w.consumerChannel)).toMatchObject({ state: 'open', recoveries: 1 });
    });
  });

  describe('a retry publish that fails on a live channel', () => {
    it('puts the message back in its queue when the retry queue is missing, so it is handled, not lost', async () => {
      const w = world();
      w.handler.effect = (_, attempt) =>
        attempt === 0 ? Promise.reject(new Error('transient')) : Promise.resolve();
      await w.startConsumer(inbox);
      await admin.deleteQueue(w.names.retry);

      const sent = await w.publishFromOutside(1);

      await eventually(() => w.handler.handled.some((m) => m.messageId === sent.messageId));
      // Nothing left unacked or ready behind it.
      await eventually(async () => {
        const main = await admin.checkQueue(w.names.main);
        return main.messageCount === 0;
      });
    });

    it('puts the message back when its retry is never confirmed, and the consumer recovers', async () => {
      const { proxy, url } = await proxied();
      const w = world(url);
      w.handler.effect = (_, attempt) => {
        if (attempt > 0) return Promise.resolve();
        // The broker goes silent just as the handler fails: the retry's confirm never comes.
        proxy.stallReplies();
        return Promise.reject(new Error('transient'));
      };
      await w.startConsumer(inbox);

      const sent = await w.publishFromOutside(1);
      await eventually(() => w.channel(w.consumerChannel)?.state === 'recovering');
      expect(w.channel(w.consumerChannel)?.lastFailure?.error).toMatch(/no confirm within/);
      proxy.resumeReplies();

      await eventually(() => w.handler.handled.some((m) => m.messageId === sent.messageId));
      await eventually(() => w.channel(w.consumerChannel)?.state === 'open');
    });
  });

  describe('a confirm that never comes', () => {
    it('fails the publish as unavailable after the confirm timeout, and publishing works again after', async () => {
      const { proxy, url } = await proxied();
      const w = world(url);
      const publisher = await w.publisher();
      await publisher.publish(made(w.routingKey, 1), { mandatory: true });

      proxy.stallReplies();
      const result = await settledWithin(
        publisher.publish(made(w.routingKey, 2), { mandatory: true }),
        15_000,
      );
      expect(result).toMatchObject({ status: 'rejected' });
      expect(result !== 'pending' && result.status === 'rejected' && result.reason).toEqual(
        new DomainError('unavailable', 'message broker did not confirm the publish in time'),
      );
      expect(w.channel('publisher')?.state).toBe('recovering');

      proxy.resumeReplies();
      await eventually(() =>
        publisher.publish(made(w.routingKey, 3), { mandatory: true }).then(
          () => true,
          () => false,
        ),
      );
      expect(w.channel('publisher')).toMatchObject({ state: 'open', recoveries: 1 });
    });
  });

  describe('a broker that blocks publishing (resource alarm)', () => {
    it('fails publishes as unavailable while blocked, reports it on /statusz, and publishes after', async () => {
      const { proxy, url } = await proxied();
      const w = world(url);
      const publisher = await w.publisher();
      await publisher.publish(made(w.routingKey, 1), { mandatory: true });

      proxy.block('low on memory');
      await eventually(() => w.connection.blockedReason !== undefined);
      expect(w.observed.report().rabbitmq).toMatchObject({
        state: 'up',
        blocked: { reason: 'low on memory' },
      });
      const result = await settledWithin(
        publisher.publish(made(w.routingKey, 2), { mandatory: true }),
        15_000,
      );
      expect(result !== 'pending' && result.status === 'rejected' && result.reason).toEqual(
        new DomainError('unavailable', 'message broker blocks publishing (low on memory)'),
      );

      proxy.unblock();
      await eventually(() => w.observed.report().rabbitmq?.blocked === false);
      await publisher.publish(made(w.routingKey, 3), { mandatory: true });
      // A block is not a broken channel: it was never replaced.
      expect(w.channel('publisher')).toMatchObject({ state: 'open', recoveries: 0 });
    });
  });

  describe('a write buffer that is full', () => {
    it('makes publishes wait for drain, bounded: none hangs, the ones that could not be written are not sent', async () => {
      const { proxy, url } = await proxied();
      const w = world(url);
      const publisher = await w.publisher();
      const big = (n: number) => ({
        ...made(w.routingKey, n),
        body: { n, padding: 'x'.repeat(64 * 1024) },
      });

      proxy.stopReading();
      const results = await settledWithin(
        Promise.allSettled(Array.from({ length: 1_500 }, (_, n) => publisher.publish(big(n)))),
        30_000,
      );

      if (results === 'pending') throw new Error('publishes still pending after 30 s');
      const reasons =
        results.status === 'fulfilled'
          ? results.value.map((r): unknown => (r.status === 'rejected' ? r.reason : undefined))
          : [];
      expect(reasons.every((r) => r instanceof DomainError && r.code === 'unavailable')).toBe(true);
      expect(reasons).toContainEqual(
        new DomainError(
          'unavailable',
          'message broker is not taking publishes (write buffer full)',
        ),
      );
      proxy.resumeReading();
      await eventually(() =>
        publisher.publish(made(w.routingKey, 99), { mandatory: true }).then(
          () => true,
          () => false,
        ),
      );
    });
  });

  describe('quorum queues', () => {
    // What at-least-once changes — a message that expires from the retry queue while the main
    // queue is missing waits for it instead of being dropped — shows only after the broker's
    // dead-letter retry interval (about 3 min on 3.10), too long for a spec; so this holds the
    // queues as the broker itself reports them.
    it('dead-letter at least once, as the broker reports the queues a consumer declared', async () => {
      const w = world();
      await w.startConsumer(inbox);

      const { stdout } = await execFileAsync('rabbitmqctl', [
        '-q',
        'list_queues',
        '--no-table-headers',
        'name',
        'arguments',
      ]);
      const argumentsOf = (queue: string): string =>
        stdout.split('\n').find((line) => line.startsWith(`${queue}\t`)) ?? '';
      for (const queue of [w.names.main, w.names.retry]) {
        expect(argumentsOf(queue)).toContain('{"x-dead-letter-strategy","at-least-once"}');
        expect(argumentsOf(queue)).toContain('{"x-overflow","reject-publish"}');
      }
    });

    it('a queue declared with other arguments is kept, and named on /statusz with the command that fixes it', async () => {
      const w = world();
      // The retry queue as the previous version declared it (at-most-once dead-lettering).
      await admin.assertQueue(w.names.retry, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': w.names.main,
        },
      });
      await w.startConsumer(inbox);
      const sent = await w.publishFromOutside(1);
      await eventually(() => w.handler.handled.some((m) => m.messageId === sent.messageId));

      expect(w.observed.report().rabbitmq).toMatchObject({
        state: 'up',
        mismatchedQueues: [
          {
            queue: w.names.retry,
            fix: `rabbitmqctl delete_queue --if-empty ${w.names.retry}`,
            error: expect.stringContaining('x-dead-letter-strategy') as unknown,
          },
        ],
      });
    });
  });
});
