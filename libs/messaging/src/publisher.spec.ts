import { uniqueName } from '@junction/platform/testing';
import { type ChannelModel, connect } from 'amqplib';
import pino from 'pino';
import { AmqpConnection } from './connection';
import { EventPublisher, UnroutableEvent } from './publisher';
import { EVENTS_EXCHANGE } from './topology';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

describe(EventPublisher.name, () => {
  const routed = `${uniqueName('publisher')}.widget.made`;
  const nowhere = `${uniqueName('publisher')}.widget.lost`;
  let broker: ChannelModel;
  let connection: AmqpConnection;
  let publisher: EventPublisher;
  let received: { get: () => Promise<false | { properties: { appId?: unknown } }> };
  const event = (routingKey: string) => ({
    routingKey,
    messageId: uniqueName('message'),
    type: routingKey,
    body: { ok: true },
  });

  beforeAll(async () => {
    broker = await connect(AMQP_URL);
    const channel = await broker.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, routed);
    received = { get: () => channel.get(queue, { noAck: true }) };
    connection = new AmqpConnection(AMQP_URL, uniqueName('publisher'), pino({ level: 'silent' }));
    publisher = new EventPublisher(connection);
    connection.start();
    const deadline = Date.now() + 10_000;
    while (!publisher.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  });

  afterAll(async () => {
    await connection.close();
    await broker.close();
  });

  it('resolves once the broker confirmed a publish that reached a queue', async () => {
    await expect(publisher.publish(event(routed), { mandatory: true })).resolves.toBeUndefined();
  });

  it('names its process as the app-id of what it publishes, so replicas can be told apart', async () => {
    while (await received.get()); // what earlier tests left
    await publisher.publish(event(routed));
    const message = await received.get();
    expect(message && message.properties.appId).toBe(connection.appId);
    expect(connection.appId).toMatch(new RegExp(`/${String(process.pid)}$`));
  });

  it('rejects a mandatory publish the broker returns as unroutable', async () => {
    await expect(publisher.publish(event(nowhere), { mandatory: true })).rejects.toThrow(
      new UnroutableEvent(nowhere),
    );
  });

  it('takes a publish that reaches no queue when it is not mandatory', async () => {
    await expect(publisher.publish(event(nowhere))).resolves.toBeUndefined();
  });

  it('tells the returned message from another one in flight at the same time', async () => {
    const results = await Promise.allSettled([
      publisher.publish(event(nowhere), { mandatory: true }),
      publisher.publish(event(routed), { mandatory: true }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});
