// Metrics, as a person reads them in Prometheus: the five services export OTLP metrics next to
// their traces to a receiver this test runs, and the test checks what docs/metrics.md lists for
// one blocking and one queued checkout — the RED histograms of HTTP and gRPC (servers and
// clients), the messaging counts, durations and queue waits of the queued path, the business
// counters by checkout path — and that no attribute carries personal data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  latestPoints,
  type MetricPoint,
  metricPointsOf,
  type MetricsData,
} from '../../tools/trace/otlp-metrics.mts';
import { Api, type Order, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.mts';
import { assertCleanExits, type E2eTopology, startTracedE2eTopology } from './support/topology.mts';

/** How often the services export (OTEL_METRIC_EXPORT_INTERVAL; the SDK's default is 60 s). */
const EXPORT_INTERVAL_MS = 500;

let receiver: OtlpReceiver;
let topology: E2eTopology;
let session: Session;
const exports: MetricsData[] = [];
const orders: Record<'blocking' | 'queued', Order | undefined> = {
  blocking: undefined,
  queued: undefined,
};

/** The newest point of every series received so far. */
const latest = (): MetricPoint[] => latestPoints(exports.flatMap(metricPointsOf));

/** Points of `name` from `service` whose attributes include `attributes`. */
function find(
  points: readonly MetricPoint[],
  service: string,
  name: string,
  attributes: Readonly<Record<string, string>> = {},
): MetricPoint[] {
  return points.filter(
    (p) =>
      p.service === service &&
      p.name === name &&
      Object.entries(attributes).every(([key, value]) => p.attributes[key] === value),
  );
}

/** What must have arrived before the assertions look: the last services' last measurements. */
function complete(points: readonly MetricPoint[]): boolean {
  const completed = find(points, 'orders', 'junction.orders.completed');
  return (
    ['blocking', 'queued'].every((path) =>
      completed.some((p) => p.attributes['checkout.path'] === path),
    ) &&
    find(points, 'orders', 'messaging.process.duration').length > 0 &&
    find(points, 'orders', 'http.server.request.duration', { 'http.route': '/orders' }).reduce(
      (count, p) => count + p.value,
      0,
    ) >= 2
  );
}

async function waitForMetrics(timeoutMs = 15_000): Promise<MetricPoint[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (complete(latest())) {
      // The other services' exports of the same moment may come a little later.
      await new Promise((resolve) => setTimeout(resolve, 2 * EXPORT_INTERVAL_MS));
      return latest();
    }
    const points = latest();
    if (Date.now() > deadline) {
      const got = points
        .filter((p) => p.service === 'orders')
        .map((p) => `${p.name} ${JSON.stringify(p.attributes)} ${String(p.value)}`);
      throw new Error(
        `timed out waiting for the checkout metrics; orders sent:\n${got.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function assertHistogram(points: MetricPoint[], what: string): void {
  assert.ok(points.length > 0, `${what}: no data point`);
  for (const point of points) {
    assert.equal(point.kind, 'histogram', what);
    assert.equal(point.unit, 's', what);
    assert.ok(point.value >= 1 && (point.sum ?? -1) >= 0, `${what}: ${JSON.stringify(point)}`);
  }
}

describe('metrics', () => {
  let points: MetricPoint[];

  before(async () => {
    await resetInfrastructure();
    receiver = await startOtlpReceiver({
      onMetrics: (body) => {
        exports.push(JSON.parse(body.toString('utf8')) as MetricsData);
      },
    });
    topology = await startTracedE2eTopology(receiver.endpoint, {
      OTEL_METRIC_EXPORT_INTERVAL: String(EXPORT_INTERVAL_MS),
      OTEL_METRIC_EXPORT_TIMEOUT: String(EXPORT_INTERVAL_MS),
    });
    const api = new Api(topology);
    session = await api.newSession();
    for (const mode of ['blocking', 'queued'] as const) {
      const reply = await api.placeOrder(session, { sku: 'JNC-MUG', mode });
      assert.equal(reply.status, mode === 'blocking' ? 201 : 202, JSON.stringify(reply.body));
      const settled = await api.settled(session, reply.body.id);
      assert.equal(settled.status, 'confirmed');
      orders[mode] = settled;
    }
    points = await waitForMetrics();
  });

  after(async () => {
    const codes = await topology.stop();
    await receiver.close();
    await removeInfrastructure();
    assertCleanExits(codes);
  });

  it('exports the HTTP server duration of POST /orders, by route, method and status', () => {
    const posts = find(points, 'orders', 'http.server.request.duration', {
      'http.route': '/orders',
      'http.request.method': 'POST',
    });
    assertHistogram(posts, 'POST /orders');
    const statuses = posts.map((p) => p.attributes['http.response.status_code']).sort();
    assert.deepEqual(statuses, [201, 202]);
  });

  it('exports the gRPC client durations of orders and the server durations of inventory and payment (blocking path)', () => {
    for (const [server, method] of [
      ['inventory', 'junction.inventory.v1.InventoryService/Reserve'],
      ['payment', 'junction.payment.v1.PaymentService/Charge'],
    ] as const) {
      const attributes = {
        'rpc.system.name': 'grpc',
        'rpc.method': method,
        'rpc.status_code': 'OK',
      };
      assertHistogram(
        find(points, 'orders', 'rpc.client.call.duration', attributes),
        `orders → ${method}`,
      );
      assertHistogram(
        find(points, server, 'rpc.server.call.duration', attributes),
        `${server} ${method}`,
      );
    }
  });

  it('exports publish and process counts and durations, and the queue wait, along the queued path', () => {
    const hops = [
      ['orders', 'order.placed', 'inventory'],
      ['inventory', 'inventory.reserved', 'payment'],
      ['payment', 'payment.captured', 'orders'],
    ] as const;
    for (const [publisher, routingKey, consumer] of hops) {
      const key = { 'messaging.rabbitmq.destination.routing_key': routingKey };
      const sent = find(points, publisher, 'messaging.client.sent.messages', key);
      assert.ok(
        sent.some(
          (p) => p.kind === 'sum' && p.value >= 1 && p.attributes['error.type'] === undefined,
        ),
        `${publisher} sent ${routingKey}`,
      );
      assertHistogram(
        find(points, publisher, 'messaging.client.operation.duration', key),
        `${publisher} publish ${routingKey}`,
      );
      const consumed = find(points, consumer, 'messaging.client.consumed.messages', key);
      assert.ok(
        consumed.some((p) => p.kind === 'sum' && p.value >= 1),
        `${consumer} consumed ${routingKey}`,
      );
      assertHistogram(
        find(points, consumer, 'messaging.process.duration', {
          ...key,
          'junction.messaging.settlement': 'ack',
        }),
        `${consumer} process ${routingKey}`,
      );
      assertHistogram(
        find(points, consumer, 'junction.messaging.queue_wait.duration', key),
        `${consumer} queue wait of ${routingKey}`,
      );
    }
  });

  it('counts the orders placed and completed by checkout path, with the final status', () => {
    for (const path of ['blocking', 'queued']) {
      const placed = find(points, 'orders', 'junction.orders.placed', { 'checkout.path': path });
      assert.deepEqual(
        placed.map((p) => [p.kind, p.value]),
        [['sum', 1]],
        `placed, ${path}`,
      );
      const completed = find(points, 'orders', 'junction.orders.completed', {
        'checkout.path': path,
        'order.status': 'confirmed',
      });
      assert.deepEqual(
        completed.map((p) => [p.kind, p.value]),
        [['sum', 1]],
        `completed, ${path}`,
      );
    }
  });

  it('reports the outbox length as a gauge', () => {
    const outbox = find(points, 'orders', 'junction.outbox.length');
    assert.ok(outbox.length > 0, 'no junction.outbox.length');
    for (const point of outbox) {
      assert.equal(point.kind, 'gauge');
      assert.ok(point.value >= 0);
    }
  });

  it('puts no personal data (the shopper’s email or id), token or order id in any attribute', () => {
    const forbidden = [
      session.accessToken,
      session.refreshToken,
      session.userId,
      ...Object.values(orders).map((order) => order?.id ?? ''),
    ].filter((value) => value.length > 0);
    const values = exports
      .flatMap(metricPointsOf)
      .flatMap((p) => [...Object.values(p.attributes), ...Object.values(p.resource)])
      .map((value) => JSON.stringify(value));
    const leaks = values.filter(
      (value) =>
        value.includes('@example.test') || forbidden.some((secret) => value.includes(secret)),
    );
    assert.deepEqual([...new Set(leaks)], []);
    assert.ok(values.length > 100, `only ${String(values.length)} attribute values`);
  });
});
