import { TestRedis, uniqueName } from '@junction/platform/testing';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import pino from 'pino';
import { z } from 'zod';
import { AmqpConnection } from './connection';
import { EventConsumer } from './consumer';
import { type EventHandler, type SubscribedEvent } from './event-handler';
import { Inbox } from './inbox';
import { MessagingMetrics } from './messaging-metrics';
import { EventPublisher } from './publisher';
import { EVENTS_EXCHANGE, queueNames } from './topology';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const logger = pino({ level: 'silent' });
const schema = z.object({ messageId: z.string().min(1), sleepMs: z.number().int() });

/** Collects on demand what the meters recorded (no exporter, no interval). */
class CollectingReader extends MetricReader {
  async metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function until(probe: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(MessagingMetrics.name, () => {
  const service = uniqueName('metrics');
  const names = queueNames(service);
  const routingKey = `${service}.widget.made`;
  const reader = new CollectingReader();
  const measured = new MessagingMetrics(new MeterProvider({ readers: [reader] }).getMeter('test'));
  const handled: string[] = [];
  let store: TestRedis;
  let broker: ChannelModel;
  let admin: ConfirmChannel;
  let connection: AmqpConnection;
  let publisher: EventPublisher;
  let consumer: EventConsumer;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'messaging-metrics' });
    broker = await connect(AMQP_URL);
    admin = await broker.createConfirmChannel();
    connection = new AmqpConnection(AMQP_URL, service, logger);
    publisher = new EventPublisher(connection, measured);
    consumer = new EventConsumer(
      connection,
      new Inbox(store.redis),
      { service, prefetch: 4, maxAttempts: 2, retryDelayMs: 100, maxMessageBytes: 64 * 1024 },
      logger,
      measured,
    );
    const handler: EventHandler<SubscribedEvent<typeof schema>> = {
      event: { routingKey, schema },
      handle: async ({ messageId, sleepMs }) => {
        await new Promise((resolve) => setTimeout(resolve, sleepMs));
        handled.push(messageId);
      },
    };
    consumer.register(handler);
    consumer.start();
    connection.start();
    await until(() => consumer.consuming && publisher.ready);
  });

  afterAll(async () => {
    await consumer.stop();
    await connection.close();
    for (const queue of [names.main, names.retry, names.parking]) await admin.deleteQueue(queue);
    await broker.close();
    await store.close();
  });

  describe('published, delivered and processed', () => {
    it('counts a publish and a delivery, times the processing and the wait in the queue', async () => {
      const messageId = uniqueName('msg');
      await publisher.publish({
        routingKey,
        messageId,
        type: routingKey,
        body: { messageId, sleepMs: 50 },
      });
      await until(() => handled.includes(messageId));

      const destination = {
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': `${EVENTS_EXCHANGE}:${routingKey}`,
        'messaging.rabbitmq.destination.routing_key': routingKey,
      };
      const sent = await reader.metric('messaging.client.sent.messages');
      expect(sent?.dataPoints).toEqual([
        expect.objectContaining({
          attributes: {
            ...destination,
            'messaging.operation.name': 'publish',
            'messaging.operation.type': 'send',
          },
          value: 1,
        }),
      ]);
      const publishTime = await reader.metric('messaging.client.operation.duration');
      expect(publishTime?.descriptor.unit).toBe('s');
      expect(histogramCount(publishTime?.dataPoints[0])).toBe(1);

      const consumerSide = {
        ...destination,
        'messaging.consumer.group.name': names.main,
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
      };
      const consumed = await reader.metric('messaging.client.consumed.messages');
      expect(consumed?.dataPoints).toEqual([
        expect.objectContaining({ attributes: consumerSide, value: 1 }),
      ]);
      const processTime = await eventuallyMetric(reader, 'messaging.process.duration');
      const processed = processTime.dataPoints[0] as DataPoint<Histogram> | undefined;
      expect(processed?.attributes).toEqual({
        ...consumerSide,
        'junction.messaging.settlement': 'ack',
      });
      // The handler slept 50 ms: the processing time covers it.
      expect(processed?.value.sum).toBeGreaterThanOrEqual(0.05);
      const waited = await reader.metric('junction.messaging.queue_wait.duration');
      expect(waited?.descriptor.unit).toBe('s');
      expect(waited?.dataPoints.map((p) => p.attributes)).toEqual([consumerSide]);
      expect(histogramCount(waited?.dataPoints[0])).toBe(1);
    });

    it('records a parked message as processed with its settlement as error.type', async () => {
      const messageId = uniqueName('bad');
      await publisher.publish({ routingKey, messageId, type: routingKey, body: { messageId } });

      const processTime = await eventuallyMetric(
        reader,
        'messaging.process.duration',
        (metric) => metric.dataPoints.length === 2,
      );
      expect(processTime.dataPoints.map((p) => p.attributes)).toContainEqual(
        expect.objectContaining({
          'junction.messaging.settlement': 'park',
          'error.type': 'park',
        }),
      );
    });
  });
});

function histogramCount(point: DataPoint<unknown> | undefined): number | undefined {
  return (point?.value as Histogram | undefined)?.count;
}

/** The metric once it is there (and `ready` holds): settlement follows the handler. */
async function eventuallyMetric(
  reader: CollectingReader,
  name: string,
  ready: (metric: MetricData) => boolean = () => true,
): Promise<MetricData> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const metric = await reader.metric(name);
    if (metric && ready(metric)) return metric;
    if (Date.now() > deadline) throw new Error(`${name} not recorded within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
