import { type Counter, type Histogram, type Meter, metrics, ValueType } from '@opentelemetry/api';
import { EVENTS_EXCHANGE } from './topology';

/**
 * Metric and attribute names of the messaging semantic conventions (1.45, still incubating, so
 * written out here as the conventions advise instead of imported from their incubating entry).
 */
const SENT_MESSAGES = 'messaging.client.sent.messages';
const OPERATION_DURATION = 'messaging.client.operation.duration';
const CONSUMED_MESSAGES = 'messaging.client.consumed.messages';
const PROCESS_DURATION = 'messaging.process.duration';
/** Junction's own (no convention measures it): publish → start of processing, in seconds. */
const QUEUE_WAIT = 'junction.messaging.queue_wait.duration';

/** The conventions' advice for messaging durations, in seconds. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
/** A wait spans a retry delay or a backlog, so it reaches further. */
const WAIT_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
];

/** What the consumer did with a delivery (the consumer's Outcome kinds). */
export type Settlement = 'ack' | 'retry' | 'park';

/**
 * The messaging metrics of one service: publishes (count and duration up to the broker's
 * confirm), deliveries (count, processing duration by outcome) and each message's wait in its
 * queue. Attributes name only the destination, the operation, the consumer's queue and the
 * outcome, never anything from a payload.
 *
 * The meter comes from the global provider when the publisher or consumer is made, after the
 * SDK started (the first import of main.ts); without telemetry it is the no-op meter.
 */
export class MessagingMetrics {
  private readonly sent: Counter;
  private readonly publishDuration: Histogram;
  private readonly consumed: Counter;
  private readonly processDuration: Histogram;
  private readonly queueWait: Histogram;

  constructor(meter: Meter = metrics.getMeter('@junction/messaging')) {
    const messages = (name: string, description: string) =>
      meter.createCounter(name, { description, unit: '{message}' });
    const seconds = (name: string, description: string, buckets: number[]) =>
      meter.createHistogram(name, {
        description,
        unit: 's',
        valueType: ValueType.DOUBLE,
        advice: { explicitBucketBoundaries: buckets },
      });
    this.sent = messages(SENT_MESSAGES, 'Messages the service attempted to publish to the broker.');
    this.publishDuration = seconds(
      OPERATION_DURATION,
      'Duration of a publish until the broker confirmed it.',
      DURATION_BUCKETS,
    );
    this.consumed = messages(CONSUMED_MESSAGES, 'Messages delivered to the service by the broker.');
    this.processDuration = seconds(
      PROCESS_DURATION,
      'Duration of handling a delivered message, until it was settled.',
      DURATION_BUCKETS,
    );
    this.queueWait = seconds(
      QUEUE_WAIT,
      'Time a message waited between its (last) publish and the start of its processing.',
      WAIT_BUCKETS,
    );
  }

  /** One publish to the events exchange, with the error's name when it was not confirmed. */
  published(routingKey: string, seconds: number, error?: unknown): void {
    const attributes = {
      ...destination(routingKey),
      'messaging.operation.name': 'publish',
      'messaging.operation.type': 'send',
      ...(error === undefined ? {} : { 'error.type': errorType(error) }),
    };
    this.sent.add(1, attributes);
    this.publishDuration.record(seconds, attributes);
  }

  /** A delivery from `queue`, before anything is done with it. */
  delivered(routingKey: string, queue: string, waitedSeconds: number | undefined): void {
    const attributes = {
      ...destination(routingKey),
      'messaging.consumer.group.name': queue,
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
    };
    this.consumed.add(1, attributes);
    if (waitedSeconds !== undefined) this.queueWait.record(waitedSeconds, attributes);
  }

  /** A delivery handled to its settlement: acked, sent to retry, or parked. */
  processed(routingKey: string, queue: string, seconds: number, settlement: Settlement): void {
    this.processDuration.record(seconds, {
      ...destination(routingKey),
      'messaging.consumer.group.name': queue,
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'junction.messaging.settlement': settlement,
      ...(settlement === 'ack' ? {} : { 'error.type': settlement }),
    });
  }
}

/** RabbitMQ's destination as the spans name it: `exchange:routing_key`. */
function destination(routingKey: string): Record<string, string> {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.destination.name': `${EVENTS_EXCHANGE}:${routingKey}`,
    'messaging.rabbitmq.destination.routing_key': routingKey,
  };
}

function errorType(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return '_OTHER';
}
