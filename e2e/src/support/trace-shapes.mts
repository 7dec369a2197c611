// The two checkout shapes of docs/tracing.md, asserted on spans however they were collected
// (a stand-in OTLP receiver in tracing.test.mts, a real Jaeger's api/v3 in jaeger.test.mts).
import assert from 'node:assert/strict';
import { type Span } from '../../../tools/trace/otlp.mts';

export const QUEUE_WAIT = 'messaging.rabbitmq.queue_wait_ms';
/** The JS SDK stamps span starts with Date.now(): a start may be up to 1 ms early. */
export const CLOCK_MS = 1;

export function ofOrder(spans: Span[], orderId: string): Span[] {
  return spans.filter((span) => span.attributes['order.id'] === orderId);
}

/** Every span of the trace(s) holding the order's spans. */
export function traceOf(spans: Span[], orderId: string): Span[] {
  const traceIds = new Set(ofOrder(spans, orderId).map((span) => span.traceId));
  return spans.filter((span) => traceIds.has(span.traceId));
}

export function one(spans: Span[], predicate: (span: Span) => boolean, what: string): Span {
  const found = spans.filter(predicate);
  assert.equal(found.length, 1, `expected one ${what}, found ${String(found.length)}`);
  return found[0] as Span;
}

export function serverSpan(spans: Span[]): Span {
  return one(
    spans,
    (s) =>
      s.service === 'orders' && s.kind === 'SERVER' && s.attributes['http.route'] === '/orders',
    'POST /orders server span',
  );
}

export function isDescendant(spans: Span[], span: Span, ancestor: Span): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let at = byId.get(span.parentSpanId); at; at = byId.get(at.parentSpanId)) {
    if (at.spanId === ancestor.spanId) return true;
  }
  return false;
}

export function contains(outer: Span, inner: Span): boolean {
  return outer.startMs <= inner.startMs + CLOCK_MS && inner.endMs <= outer.endMs + CLOCK_MS;
}

/** A blocking checkout: one trace; POST /orders is the root and covers the gRPC calls. */
export function assertBlockingShape(spans: Span[]): void {
  assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one trace');
  const server = serverSpan(spans);
  assert.equal(server.parentSpanId, '', 'POST /orders is the root');
  assert.equal(server.name, 'POST /orders');
  assert.equal(server.attributes['http.response.status_code'], 201);
  for (const [peer, rpc] of [
    ['inventory', 'junction.inventory.v1.InventoryService/Reserve'],
    ['payment', 'junction.payment.v1.PaymentService/Charge'],
  ] as const) {
    const client = one(
      spans,
      (s) => s.service === 'orders' && s.kind === 'CLIENT' && s.name === `grpc.${rpc}`,
      `${rpc} client span`,
    );
    const callee = one(
      spans,
      (s) => s.service === peer && s.kind === 'SERVER',
      `${peer} server span`,
    );
    assert.ok(isDescendant(spans, client, server), `${rpc} client span is under POST /orders`);
    assert.ok(contains(server, client), `POST /orders lasts over the ${rpc} call`);
    assert.equal(
      callee.parentSpanId,
      client.spanId,
      `${peer}'s server span is the client span's child`,
    );
    assert.ok(contains(client, callee), `the ${rpc} client span covers ${peer}'s server span`);
    assert.equal(client.attributes['rpc.system'], 'grpc');
    assert.equal(callee.attributes['rpc.method'], rpc.split('/')[1]);
  }
  const later = spans.filter((s) => s.endMs > server.endMs + CLOCK_MS);
  assert.deepEqual(
    later.map((s) => `${s.service} ${s.name} ends ${(s.endMs - server.endMs).toFixed(2)} ms later`),
    [],
    'POST /orders ends after everything it waited for',
  );
  assert.ok(!spans.some((s) => s.kind === 'PRODUCER' || s.kind === 'CONSUMER'), 'no messaging');
}

/** A queued checkout: one trace going on after the 202, PRODUCER → CONSUMER hop after hop. */
export function assertQueuedShape(spans: Span[]): void {
  assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one trace');
  const server = serverSpan(spans);
  assert.equal(server.parentSpanId, '');
  assert.equal(server.attributes['http.response.status_code'], 202);
  const consumers = spans
    .filter((s) => s.kind === 'CONSUMER')
    .sort((a, b) => a.startMs - b.startMs);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const hops = consumers.map((consumer) => {
    const producer = byId.get(consumer.parentSpanId);
    assert.equal(producer?.kind, 'PRODUCER', `${consumer.name} follows a producer span`);
    assert.equal(
      producer.attributes['messaging.destination.name'],
      consumer.attributes['messaging.destination.name'],
    );
    return `${producer.service} → ${consumer.service} (${String(consumer.attributes['messaging.destination.name'])})`;
  });
  assert.deepEqual(hops, [
    'orders → inventory (junction.events:order.placed)',
    'inventory → payment (junction.events:inventory.reserved)',
    'payment → orders (junction.events:payment.captured)',
  ]);
  const first = consumers[0] as Span;
  assert.ok(server.endMs < first.startMs, 'the 202 went out before the first consumer started');
  const relayed = one(
    spans,
    (s) => s.kind === 'PRODUCER' && s.service === 'orders',
    'order.placed producer span',
  );
  assert.ok(isDescendant(spans, relayed, server), 'the outbox relay published under POST /orders');
  for (const consumer of consumers) {
    const wait = consumer.attributes[QUEUE_WAIT];
    assert.equal(typeof wait, 'number', `${consumer.name} has ${QUEUE_WAIT}`);
    assert.ok(
      (wait as number) >= 0 && (wait as number) < 5_000,
      `${consumer.name} waited ${String(wait)} ms`,
    );
    assert.equal(consumer.attributes['messaging.system'], 'rabbitmq');
    assert.equal(consumer.attributes['messaging.operation.type'], 'process');
    assert.equal(
      consumer.name,
      `process ${String(consumer.attributes['messaging.destination.name'])}`,
    );
    const outlasting = spans
      .filter((s) => s.parentSpanId === consumer.spanId && !contains(consumer, s))
      .map((s) => `${s.service} ${s.kind} "${s.name}" ${String(s.startMs)}–${String(s.endMs)}`);
    assert.deepEqual(
      outlasting,
      [],
      `${consumer.name} (${String(consumer.startMs)}–${String(consumer.endMs)}) lasts until its handler is done`,
    );
  }
}

/**
 * The span-links shape (JUNCTION_MESSAGING_SPAN_LINKS=true): inventory's, payment's and orders'
 * consumer spans are each the root of a trace of their own and link to the producer span, in
 * another trace, whose message they consumed, with the queue wait recorded.
 */
export function assertLinkedHops(spans: Span[]): void {
  const producers = new Map(spans.filter((s) => s.kind === 'PRODUCER').map((s) => [s.spanId, s]));
  const consumers = spans
    .filter((s) => s.kind === 'CONSUMER')
    .sort((a, b) => a.startMs - b.startMs);
  assert.deepEqual(
    consumers.map((s) => s.service),
    ['inventory', 'payment', 'orders'],
  );
  for (const consumer of consumers) {
    assert.equal(consumer.parentSpanId, '', `${consumer.name} is a root`);
    assert.equal(consumer.links.length, 1, `${consumer.name} has one link`);
    const producer = producers.get(consumer.links[0]?.spanId ?? '');
    assert.ok(producer, `${consumer.name} links to a producer span`);
    assert.equal(producer.traceId, consumer.links[0]?.traceId);
    assert.notEqual(producer.traceId, consumer.traceId, 'in another trace');
    assert.equal(typeof consumer.attributes[QUEUE_WAIT], 'number');
  }
}
