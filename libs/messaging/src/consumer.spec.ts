import { DomainError } from '@junction/platform';
import { TestRedis, uniqueName } from '@junction/platform/testing';
import {
  type ChannelModel,
  type ConfirmChannel,
  connect,
  type GetMessage,
  type Options,
} from 'amqplib';
import pino from 'pino';
import { z } from 'zod';
import { AmqpConnection } from './connection';
import { type ConsumerOptions, EventConsumer } from './consumer';
import { type EventHandler, type SubscribedEvent } from './event-handler';
import { Inbox } from './inbox';
import { EventPublisher } from './publisher';
import { EVENTS_EXCHANGE, queueNames } from './topology';
import { deletedAfterEach } from './spec/deleted-after-each';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const RETRY_DELAY_MS = 200;
const logger = pino({ level: 'silent' });

const widgetMadeSchema = z.object({
  messageId: z.string().min(1),
  type: z.string(),
  widgetId: z.string().min(1),
  count: z.number().int().min(1),
});
type WidgetMade = z.output<typeof widgetMadeSchema>;

/** Polls `probe` until it returns a value other than undefined/false, or fails after `ms`. */
async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 5_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(20);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A handler that records every payload it committed and when it was called; `behaviour` runs
 * first (with the number of calls before this one) and may throw.
 */
class RecordingHandler implements EventHandler<SubscribedEvent<typeof widgetMadeSchema>> {
  readonly event: SubscribedEvent<typeof widgetMadeSchema>;
  readonly attempts: WidgetMade[] = [];
  readonly handled: WidgetMade[] = [];
  readonly attemptTimes: number[] = [];

  constructor(
    readonly routingKey: string,
    private readonly behaviour: (attempt: number) => Promise<void> = () => Promise.resolve(),
  ) {
    this.event = { routingKey, schema: widgetMadeSchema };
  }

  async handle(payload: WidgetMade): Promise<void> {
    this.attempts.push(payload);
    this.attemptTimes.push(Date.now());
    await this.behaviour(this.attempts.length - 1);
    this.handled.push(payload);
  }
}

/** One service's consumer on the real broker and Redis, with its own queues and routing keys. */
class ConsumerWorld {
  readonly service = uniqueName('test');
  readonly names = queueNames(this.service);
  readonly connection = new AmqpConnection(AMQP_URL, this.service, logger);
  readonly publisher = new EventPublisher(this.connection);
  readonly consumer: EventConsumer;
  private stopped = false;

  constructor(
    inbox: Inbox,
    private readonly admin: ConfirmChannel,
    options: Partial<ConsumerOptions> = {},
  ) {
    this.consumer = new EventConsumer(
      this.connection,
      inbox,
      {
        service: this.service,
        prefetch: 8,
        maxAttempts: 3,
        retryDelayMs: RETRY_DELAY_MS,
        maxMessageBytes: 64 * 1024,
        ...options,
      },
      logger,
    );
  }

  routingKey(name: string): string {
    return `${this.service}.${name}`;
  }

  async start(...handlers: EventHandler[]): Promise<void> {
    for (const handler of handlers) this.consumer.register(handler);
    this.consumer.start();
    this.connection.start();
    await eventually(() => this.consumer.consuming && this.publisher.ready);
  }

  /** A valid event, published through the EventPublisher (confirms). */
  async publish(routingKey: string, overrides: Partial<WidgetMade> = {}): Promise<WidgetMade> {
    const messageId = overrides.messageId ?? uniqueName('msg');
    const body: WidgetMade = {
      messageId,
      type: routingKey,
      widgetId: uniqueName('widget'),
      count: 1,
      ...overrides,
    };
    await this.publisher.publish({ routingKey, messageId, type: routingKey, body });
    return body;
  }

  /** Raw bytes on the exchange, for what the EventPublisher would never send. */
  async publishRaw(
    routingKey: string,
    content: Buffer,
    messageId = uniqueName('raw'),
    properties: Options.Publish = { userId: 'guest' },
  ): Promise<void> {
    this.admin.publish(EVENTS_EXCHANGE, routingKey, content, {
      messageId,
      persistent: true,
      ...properties,
    });
    await this.admin.waitForConfirms();
  }

  async parked(ms = 5_000): Promise<GetMessage> {
    return eventually(() => this.admin.get(this.names.parking, { noAck: true }), ms);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.consumer.stop();
    await this.connection.close();
  }

  async delete(): Promise<void> {
    await this.stop();
    for (const queue of [this.names.main, this.names.retry, this.names.parking]) {
      await this.admin.deleteQueue(queue);
    }
  }
}

function parkedReason(message: GetMessage): string {
  const reason: unknown = message.properties.headers?.['x-parked-reason'];
  return typeof reason === 'string' ? reason : '';
}

describe(EventConsumer.name, () => {
  let store: TestRedis;
  let broker: ChannelModel;
  let admin: ConfirmChannel;
  let inbox: Inbox;
  const deletedLater = deletedAfterEach<ConsumerWorld>();

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'event-consumer' });
    inbox = new Inbox(store.redis);
    broker = await connect(AMQP_URL);
    admin = await broker.createConfirmChannel();
  });

  afterAll(async () => {
    await broker.close();
    await store.close();
  });

  function consumerWorld(options: Partial<ConsumerOptions> = {}): ConsumerWorld {
    return deletedLater(new ConsumerWorld(inbox, admin, options));
  }

  describe('consuming', () => {
    it('handles a valid message once and acks it', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);

      const sent = await world.publish(handler.routingKey, { count: 3 });
      await eventually(() => handler.handled.length === 1);
      await world.stop();

      expect(handler.handled).toEqual([sent]);
      expect(handler.attempts).toEqual([sent]);
      // Acked: nothing returns to the queue once the consumer's channel is gone.
      await expect(admin.checkQueue(world.names.main)).resolves.toMatchObject({ messageCount: 0 });
      await expect(store.redis.exists(`inbox:${sent.messageId}`)).resolves.toBe(1);
    });

    it('has one effect for a messageId delivered three times, one after another', async () => {
      const world = consumerWorld({ prefetch: 1 });
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);

      const messageId = uniqueName('dup');
      for (let i = 0; i < 3; i++) await world.publish(handler.routingKey, { messageId });
      const sentinel = await world.publish(handler.routingKey);
      await eventually(() => handler.handled.some((p) => p.messageId === sentinel.messageId));

      expect(handler.handled.filter((p) => p.messageId === messageId)).toHaveLength(1);
      expect(handler.handled).toHaveLength(2);
    });

    // Copies delivered together race for the inbox claim; the losers come back after the retry
    // delay and find the message done.
    it('has one effect for a messageId delivered three times at once (prefetch > 1)', async () => {
      const world = consumerWorld({ prefetch: 8 });
      const handler = new RecordingHandler(world.routingKey('widget.made'), () => sleep(50));
      await world.start(handler);

      const messageId = uniqueName('dup');
      await Promise.all([0, 1, 2].map(() => world.publish(handler.routingKey, { messageId })));
      await eventually(() => handler.handled.length >= 1);
      await sleep(300);

      expect(handler.handled).toHaveLength(1);
    });
  });

  describe('parking', () => {
    it('parks a message that is not JSON, and goes on with the next one', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);

      await world.publishRaw(handler.routingKey, Buffer.from('{"widgetId": "oops'));
      const parked = await world.parked();
      expect(parkedReason(parked)).toBe('malformed message: not JSON');
      expect(parked.content.toString()).toBe('{"widgetId": "oops');

      const next = await world.publish(handler.routingKey);
      await eventually(() => handler.handled.some((p) => p.messageId === next.messageId));
      expect(handler.handled).toEqual([next]);
    });

    it('parks a message that names no broker user, and handles one from its own user', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);
      const body = (messageId: string) =>
        Buffer.from(
          JSON.stringify({ messageId, type: handler.routingKey, widgetId: 'w', count: 1 }),
        );

      await world.publishRaw(handler.routingKey, body('anonymous'), 'anonymous', {});
      expect(parkedReason(await world.parked())).toBe(
        `untrusted sender: ${handler.routingKey} from no broker user; accepted from "guest"`,
      );
      expect(handler.attempts).toEqual([]);

      await world.publishRaw(handler.routingKey, body('own'), 'own');
      await eventually(() => handler.handled.some((p) => p.messageId === 'own'));
    });

    it('parks a message that breaks its schema, naming the field, and goes on', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);

      await world.publish(handler.routingKey, { count: 0 });
      const parked = await world.parked();
      expect(parkedReason(parked)).toMatch(new RegExp(`^invalid ${handler.routingKey}: count: `));
      expect(parked.properties.headers?.['x-original-routing-key']).toBe(handler.routingKey);

      const next = await world.publish(handler.routingKey);
      await eventually(() => handler.handled.length === 1);
      expect(handler.handled).toEqual([next]);
    });

    it('parks a message of a type it has no handler for, and goes on', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);
      const stray = world.routingKey('gadget.lost');
      await admin.bindQueue(world.names.main, EVENTS_EXCHANGE, stray);

      await world.publish(stray);
      const parked = await world.parked();
      expect(parkedReason(parked)).toBe(`unknown message type: ${stray}`);

      const next = await world.publish(handler.routingKey);
      await eventually(() => handler.handled.length === 1);
      expect(handler.handled).toEqual([next]);
    });

    it('parks a message larger than the limit without parsing it', async () => {
      const world = consumerWorld({ maxMessageBytes: 1024 });
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);

      await world.publish(handler.routingKey, { widgetId: 'w'.repeat(2048) });
      const parked = await world.parked();
      expect(parkedReason(parked)).toMatch(/^message too large: \d+ bytes$/);
      expect(handler.attempts).toEqual([]);
    });

    it('parks at once a message the domain rejects for good', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'), () =>
        Promise.reject(new DomainError('invalid_argument', 'no such widget')),
      );
      await world.start(handler);

      await world.publish(handler.routingKey);
      const parked = await world.parked();
      expect(parkedReason(parked)).toBe('rejected: no such widget');
      expect(handler.attempts).toHaveLength(1);
    });
  });

  describe('retrying', () => {
    it('retries a transient failure after the retry delay, and then succeeds', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'), (attempt) =>
        attempt === 0 ? Promise.reject(new Error('redis timeout')) : Promise.resolve(),
      );
      await world.start(handler);

      const sent = await world.publish(handler.routingKey);
      await eventually(() => handler.handled.length === 1);

      expect(handler.handled).toEqual([sent]);
      expect(handler.attempts).toEqual([sent, sent]);
      const [first, second] = handler.attemptTimes;
      expect(second! - first!).toBeGreaterThanOrEqual(RETRY_DELAY_MS - 20);
      await expect(admin.checkQueue(world.names.parking)).resolves.toMatchObject({
        messageCount: 0,
      });
    });

    it('parks a message that keeps failing after maxAttempts tries, with the last error', async () => {
      const world = consumerWorld({ maxAttempts: 3 });
      const handler = new RecordingHandler(world.routingKey('widget.made'), () =>
        Promise.reject(new Error('downstream is on fire')),
      );
      await world.start(handler);

      await world.publish(handler.routingKey);
      const parked = await world.parked(5_000);

      expect(parkedReason(parked)).toBe('failed 3 times: downstream is on fire');
      expect(handler.attempts).toHaveLength(3);
      expect(handler.handled).toEqual([]);
    });
  });

  describe('stop', () => {
    it('waits for the handler in flight to finish and ack before it resolves', async () => {
      const world = consumerWorld();
      const gate = deferred();
      const order: string[] = [];
      const handler = new RecordingHandler(world.routingKey('widget.made'), async () => {
        await gate.promise;
        order.push('handler finished');
      });
      await world.start(handler);
      await world.publish(handler.routingKey);
      await eventually(() => handler.attempts.length === 1);

      const stopping = world.consumer.stop().then(() => order.push('stop resolved'));
      await sleep(100);
      expect(order).toEqual([]);

      gate.resolve();
      await stopping;
      expect(order).toEqual(['handler finished', 'stop resolved']);
      expect(world.consumer.consuming).toBe(false);
      await world.stop();
      await expect(admin.checkQueue(world.names.main)).resolves.toMatchObject({ messageCount: 0 });
    });

    it('takes no new message once stopped', async () => {
      const world = consumerWorld();
      const handler = new RecordingHandler(world.routingKey('widget.made'));
      await world.start(handler);
      await world.consumer.stop();

      await world.publish(handler.routingKey);
      await sleep(200);
      expect(handler.attempts).toEqual([]);
      await expect(admin.checkQueue(world.names.main)).resolves.toMatchObject({ messageCount: 1 });
    });
  });
});
