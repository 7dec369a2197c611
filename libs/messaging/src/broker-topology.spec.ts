import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BROKER_TOPOLOGY } from '@junction/contracts';
import { TestRedis, uniqueName } from '@junction/platform/testing';
import { type ChannelModel, connect } from 'amqplib';
import pino from 'pino';
import { AmqpConnection } from './connection';
import { EventConsumer } from './consumer';
import { Inbox } from './inbox';
import { eventually as eventuallyWithin } from './spec/eventually';
import { Recorder } from './spec/recorder';
import { type OutgoingEvent } from './outgoing-event';
import { EventPublisher, UnroutableEvent } from './publisher';
import { declareBrokerTopology } from './declare-topology';
import { type BrokerTopology, consumerTopology, EVENTS_EXCHANGE, queueNames } from './topology';

const logger = pino({ level: process.env.SPEC_LOG ?? 'silent' });
const execFileAsync = promisify(execFile);
const rabbitmqctl = (...args: string[]): Promise<unknown> =>
  execFileAsync('rabbitmqctl', ['-q', ...args]);

/**
 * `rabbitmqctl import_definitions` of `json`, from a file under the repository's git-ignored
 * `.local/` (the CLI on this machine does not see the test's /tmp).
 */
async function importDefinitions(json: string): Promise<void> {
  const dir = join(__dirname, '../../../.local');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${uniqueName('definitions')}.json`);
  await writeFile(file, json, { mode: 0o644 });
  try {
    await rabbitmqctl('import_definitions', file);
  } finally {
    await rm(file, { force: true });
  }
}

// rabbitmqctl takes a few seconds per call on this machine.
jest.setTimeout(60_000);

/** The shared poll, with this file's default limit. */
const eventually = <T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 30_000,
): Promise<T> => eventuallyWithin(probe, ms);

/**
 * A fresh vhost with two "services" in it: a publisher whose connection declares the topology,
 * and a consumer of the event, started when the test says so.
 */
class FreshBroker {
  readonly service = uniqueName('svc');
  readonly routingKey = `${this.service}.made`;
  readonly topology: BrokerTopology = consumerTopology(this.service, [this.routingKey]);
  readonly handler = new Recorder(this.routingKey);
  private readonly connections: AmqpConnection[] = [];
  private consumer: EventConsumer | undefined;

  private constructor(
    readonly vhost: string,
    readonly url: string,
    /** An outside client on the vhost, as an operator would be. */
    readonly admin: ChannelModel,
  ) {}

  static async create(): Promise<FreshBroker> {
    const vhost = uniqueName('topology');
    const url = `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`;
    await rabbitmqctl('add_vhost', vhost);
    await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
    return new FreshBroker(vhost, url, await connect(url));
  }

  async publisher(): Promise<EventPublisher> {
    const connection = this.connection('publisher');
    const publisher = new EventPublisher(connection);
    connection.start();
    await eventually(() => publisher.ready);
    return publisher;
  }

  async startConsumer(inbox: Inbox, retryDelayMs = 100): Promise<EventConsumer> {
    const connection = this.connection(this.service);
    const consumer = new EventConsumer(
      connection,
      inbox,
      { service: this.service, prefetch: 4, maxAttempts: 3, retryDelayMs, maxMessageBytes: 4096 },
      logger,
    );
    consumer.register(this.handler);
    consumer.start();
    connection.start();
    this.consumer = consumer;
    await eventually(() => consumer.consuming);
    return consumer;
  }

  async delete(): Promise<void> {
    await this.consumer?.stop();
    for (const connection of this.connections) await connection.close();
    await this.admin.close().catch(() => undefined);
    await rabbitmqctl('delete_vhost', this.vhost);
  }

  private connection(name: string): AmqpConnection {
    const connection = new AmqpConnection(this.url, name, logger, undefined, this.topology);
    this.connections.push(connection);
    return connection;
  }
}

/**
 * Messages a quorum queue holds for at-least-once dead-lettering: dead-lettered, not yet
 * confirmed by their target. No CLI or management field shows it on RabbitMQ 3.10, so it is read
 * from the queue's own info through `rabbitmqctl eval`.
 */
async function heldForDeadLettering(vhost: string, queue: string): Promise<number> {
  const quoted = (text: string) => `<<"${text.replace(/["\\]/g, '')}">>`;
  const { stdout } = (await execFileAsync('rabbitmqctl', [
    'eval',
    `{ok, Q} = rabbit_amqqueue:lookup(rabbit_misc:r(${quoted(vhost)}, queue, ${quoted(queue)})), rabbit_quorum_queue:info(Q, [messages_dlx]).`,
  ])) as { stdout: string };
  const held = /\{messages_dlx,(\d+)\}/.exec(stdout);
  if (!held) throw new Error(`no messages_dlx in: ${stdout}`);
  return Number(held[1]);
}

function made(routingKey: string, n: number): OutgoingEvent {
  const messageId = uniqueName('made');
  return { routingKey, messageId, type: routingKey, body: { messageId, type: routingKey, n } };
}

describe('the broker topology', () => {
  let store: TestRedis;
  let inbox: Inbox;
  let broker: FreshBroker;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'broker-topology' });
    inbox = new Inbox(store.redis);
  });

  beforeEach(async () => {
    broker = await FreshBroker.create();
  });

  afterEach(async () => {
    await broker.delete();
  });

  afterAll(async () => {
    await store.close();
  });

  it('is declared by a publishing service on connect: an event published on a fresh broker before any consumer started is kept', async () => {
    const publisher = await broker.publisher();
    const first = made(broker.routingKey, 1);
    await publisher.publish(first, { mandatory: true });

    await broker.startConsumer(inbox);
    await eventually(() => broker.handler.handled.length === 1);
    expect(broker.handler.handled[0]?.messageId).toBe(first.messageId);
  });

  it('is declared again after a queue is deleted: a publish until then fails, none is lost', async () => {
    const publisher = await broker.publisher();
    await broker.startConsumer(inbox);
    const channel = await broker.admin.createChannel();
    await channel.deleteQueue(queueNames(broker.service).main);

    const lost = made(broker.routingKey, 2);
    await expect(publisher.publish(lost, { mandatory: true })).rejects.toBeInstanceOf(
      UnroutableEvent,
    );
    // The caller retries (the consumers and the outbox relay do): the queue is back soon.
    await eventually(() =>
      publisher.publish(lost, { mandatory: true }).then(
        () => true,
        () => false,
      ),
    );
    await eventually(() => broker.handler.handled.some((m) => m.messageId === lost.messageId));
    // The consumer the broker cancelled with its queue consumes the new one.
    const next = made(broker.routingKey, 3);
    await publisher.publish(next, { mandatory: true });
    await eventually(() => broker.handler.handled.some((m) => m.messageId === next.messageId));
    await channel.close();
  });

  it('retries a message whose outcome reached no queue, without marking it handled, and publishes the same outcome once a queue is there', async () => {
    const publisher = await broker.publisher();
    const outcomeKey = `${broker.routingKey}.outcome`;
    // Like inventory and payment: the outcome's messageId is derived from the input.
    broker.handler.effect = (payload) =>
      publisher.publish(
        { ...made(outcomeKey, payload.n), messageId: `outcome:${payload.messageId}` },
        { mandatory: true },
      );
    await broker.startConsumer(inbox, 200);
    const input = made(broker.routingKey, 5);
    await publisher.publish(input, { mandatory: true });

    await eventually(() => broker.handler.attempts === 1);
    expect(broker.handler.handled).toEqual([]);
    await expect(store.redis.get(`inbox:${input.messageId}`)).resolves.not.toBe('done');
    const channel = await broker.admin.createChannel();
    const outcomes = uniqueName('outcomes');
    await channel.assertQueue(outcomes, { exclusive: true });
    await channel.bindQueue(outcomes, EVENTS_EXCHANGE, outcomeKey);

    await eventually(() => broker.handler.handled.length === 1);
    expect(broker.handler.attempts).toBe(2);
    await expect(store.redis.get(`inbox:${input.messageId}`)).resolves.toBe('done');
    const outcome = await eventually(() => channel.get(outcomes, { noAck: true }));
    expect(outcome.properties.messageId).toBe(`outcome:${input.messageId}`);
    await channel.close();
  });

  it('dead-letters at least once: a retried message whose main queue is gone is held, not dropped', async () => {
    const names = queueNames(broker.service);
    const channel = await broker.admin.createConfirmChannel();
    const declared = async (queue: string, strategy?: string) => {
      const spec = broker.topology.queues.find((q) => q.name === names.retry);
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          ...spec?.arguments,
          ...(strategy ? { 'x-dead-letter-strategy': strategy } : {}),
        },
      });
    };
    // The retry queue as declared, and one that differs only in dead-lettering at most once: the
    // probe tells them apart. Neither has its target (the main queue) now.
    const atMostOnce = `${names.retry}.at-most-once`;
    await declared(names.retry);
    await declared(atMostOnce, 'at-most-once');
    for (const queue of [names.retry, atMostOnce]) {
      channel.sendToQueue(queue, Buffer.from('{}'), { persistent: true, expiration: '1' });
    }
    await channel.waitForConfirms();

    expect(
      await eventually(async () => (await heldForDeadLettering(broker.vhost, names.retry)) === 1),
    ).toBe(true);
    expect(await heldForDeadLettering(broker.vhost, atMostOnce)).toBe(0);
    expect((await channel.checkQueue(atMostOnce)).messageCount).toBe(0);
    await channel.close();
  });

  it('keeps a queue that exists with other arguments and goes on declaring and consuming', async () => {
    // A retry queue as an earlier version declared it: its delay as a queue argument.
    const channel = await broker.admin.createChannel();
    const names = queueNames(broker.service);
    await channel.assertQueue(names.retry, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-message-ttl': 5_000,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': names.main,
      },
    });
    await channel.close();

    const publisher = await broker.publisher();
    await broker.startConsumer(inbox);
    const event = made(broker.routingKey, 4);
    await publisher.publish(event, { mandatory: true });
    await eventually(() => broker.handler.handled.length === 1);
  });
});

describe('BROKER_TOPOLOGY', () => {
  it('is what the chart’s RabbitMQ imports: after importing its definitions, declaring it changes nothing', async () => {
    const broker = await FreshBroker.create();
    try {
      const file = join(__dirname, '../../../charts/junction-infra/files/rabbitmq-topology.json');
      const definitions = JSON.parse(await readFile(file, 'utf8')) as Record<
        string,
        { vhost: string }[]
      >;
      for (const list of Object.values(definitions)) {
        for (const item of list) item.vhost = broker.vhost;
      }
      await importDefinitions(JSON.stringify(definitions));
      const channel = await broker.admin.createChannel();
      for (const queue of BROKER_TOPOLOGY.queues) await channel.checkQueue(queue.name);
      await channel.close();

      const warnings: unknown[] = [];
      const recording = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
      const connection = await connect(broker.url);
      await declareBrokerTopology(connection, BROKER_TOPOLOGY, recording);
      await connection.close();
      expect(warnings).toEqual([]);
    } finally {
      await broker.delete();
    }
  });

  it('declares each consuming service’s queues and bindings exactly as its consumer does', () => {
    const consumers = [...new Set(BROKER_TOPOLOGY.bindings.map((b) => b.queue))].map((queue) =>
      queue.replace(/\.events$/, ''),
    );
    expect(consumers.length).toBeGreaterThan(0);
    for (const service of consumers) {
      const keys = BROKER_TOPOLOGY.bindings
        .filter((b) => b.queue === queueNames(service).main)
        .map((b) => b.routingKey);
      const own = consumerTopology(service, keys);
      const declared = new Set(own.queues.map((q) => q.name));
      expect(BROKER_TOPOLOGY.queues.filter((q) => declared.has(q.name))).toEqual(own.queues);
      expect(BROKER_TOPOLOGY.exchanges).toEqual(own.exchanges);
    }
  });
});
