import { propagation, ROOT_CONTEXT, type Span } from '@opentelemetry/api';
import { type ConsumeInfo, type PublishInfo } from '@opentelemetry/instrumentation-amqplib';
import { attributesOf } from './span-attributes-from-baggage';

/** Set by the publisher (libs/messaging): when the message was last put on a queue, epoch ms. */
export const PUBLISHED_AT_HEADER = 'x-published-at';
const ATTEMPT_HEADER = 'x-attempt';

/**
 * Junction's own attributes (not semantic conventions): how long the message waited between its
 * publish and this delivery, and which attempt this is (0 = first; retries come back through
 * the retry queue, which re-stamps the publish time, so the wait includes the retry delay).
 */
export const QUEUE_WAIT_ATTRIBUTE = 'messaging.rabbitmq.queue_wait_ms';
export const ATTEMPT_ATTRIBUTE = 'messaging.rabbitmq.attempt';

/**
 * The amqplib instrumentation names spans `publish <exchange>` / `<queue> process` and records
 * the pre-1.0 messaging attributes. These hooks add the current semantic conventions: RabbitMQ's
 * destination is `exchange:routing_key` (the default exchange is `amq.default`), the span name
 * is `{operation} {destination}`.
 */
export function onPublish(span: Span, info: PublishInfo): void {
  const destination = destinationOf(info.exchange, info.routingKey);
  span.updateName(`publish ${destination}`);
  span.setAttributes({
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'publish',
    'messaging.destination.name': destination,
    'messaging.rabbitmq.destination.routing_key': info.routingKey,
    ...(typeof info.options?.messageId === 'string'
      ? { 'messaging.message.id': info.options.messageId }
      : {}),
  });
}

/** Consumer side, plus the queue wait, the attempt and (for linked spans) the checkout path. */
export function onConsume(span: Span, info: ConsumeInfo, now = Date.now()): void {
  const { fields, properties } = info.msg;
  const destination = destinationOf(fields.exchange, fields.routingKey);
  const headers = (properties.headers ?? {}) as Record<string, unknown>;
  span.updateName(`process ${destination}`);
  span.setAttributes({
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': destination,
    'messaging.rabbitmq.destination.routing_key': fields.routingKey,
    'messaging.rabbitmq.message.delivery_tag': fields.deliveryTag,
    ...(typeof properties.messageId === 'string'
      ? { 'messaging.message.id': properties.messageId }
      : {}),
    ...queueTiming(headers, now),
    // With span links the consumer span starts a new trace, outside the message's baggage.
    ...attributesOf(propagation.getBaggage(propagation.extract(ROOT_CONTEXT, headers))),
  });
}

function queueTiming(headers: Record<string, unknown>, now: number): Record<string, number> {
  const timing: Record<string, number> = {};
  const publishedAt = Number(headers[PUBLISHED_AT_HEADER]);
  if (Number.isFinite(publishedAt) && publishedAt > 0) {
    // Clocks of different hosts may disagree a little; a negative wait is reported as 0.
    timing[QUEUE_WAIT_ATTRIBUTE] = Math.max(0, now - publishedAt);
  }
  const attempt = Number(headers[ATTEMPT_HEADER] ?? 0);
  timing[ATTEMPT_ATTRIBUTE] = Number.isInteger(attempt) && attempt >= 0 ? attempt : 0;
  return timing;
}

function destinationOf(exchange: string, routingKey: string): string {
  return `${exchange === '' ? 'amq.default' : exchange}:${routingKey}`;
}
