import { type ConsumeInfo, type PublishInfo } from '@opentelemetry/instrumentation-amqplib';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { onConsume, onPublish } from './messaging-spans';

function span() {
  const exporter = new InMemorySpanExporter();
  const tracer = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  }).getTracer('spec');
  const started = tracer.startSpan('from the instrumentation');
  const finish = () => {
    started.end();
    const [done] = exporter.getFinishedSpans();
    if (!done) throw new Error('span not exported');
    return done;
  };
  return { started, finish };
}

function delivery(headers: Record<string, unknown>, exchange = 'junction.events'): ConsumeInfo {
  return {
    moduleVersion: '2.3.1',
    msg: {
      content: Buffer.from('{}'),
      fields: { deliveryTag: 7, redelivered: false, exchange, routingKey: 'order.placed' },
      properties: { headers, messageId: 'order.placed:o-1' },
    },
  } as unknown as ConsumeInfo;
}

describe(onPublish.name, () => {
  it('names the span after the destination exchange:routing_key and sets the semconv attributes', () => {
    const { started, finish } = span();
    const info = {
      moduleVersion: '2.3.1',
      exchange: 'junction.events',
      routingKey: 'inventory.reserved',
      content: Buffer.from('{}'),
      options: { messageId: 'inventory.reserved:o-1' },
    } as PublishInfo;
    onPublish(started, info);
    const done = finish();
    expect(done.name).toBe('publish junction.events:inventory.reserved');
    expect(done.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'junction.events:inventory.reserved',
      'messaging.rabbitmq.destination.routing_key': 'inventory.reserved',
      'messaging.message.id': 'inventory.reserved:o-1',
    });
  });
});

describe(onConsume.name, () => {
  it('records how long the message waited since it was published, and the attempt', () => {
    const { started, finish } = span();
    onConsume(started, delivery({ 'x-published-at': 1_000, 'x-attempt': 2 }), 1_250);
    const done = finish();
    expect(done.name).toBe('process junction.events:order.placed');
    expect(done.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.rabbitmq.message.delivery_tag': 7,
      'messaging.rabbitmq.queue_wait_ms': 250,
      'messaging.rabbitmq.attempt': 2,
    });
  });

  it('reports a publish stamp from a clock ahead of this one as no wait', () => {
    const { started, finish } = span();
    onConsume(started, delivery({ 'x-published-at': 2_000 }), 1_500);
    expect(finish().attributes).toMatchObject({
      'messaging.rabbitmq.queue_wait_ms': 0,
      'messaging.rabbitmq.attempt': 0,
    });
  });

  it('calls the default exchange amq.default and leaves the wait out without a stamp', () => {
    const { started, finish } = span();
    onConsume(started, delivery({}, ''), 1_000);
    const done = finish();
    expect(done.attributes['messaging.destination.name']).toBe('amq.default:order.placed');
    expect(done.attributes).not.toHaveProperty('messaging.rabbitmq.queue_wait_ms');
  });
});
