import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { type Attributes, metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { OrdersConfig } from '../../../config';
import { type Order } from '../../../domain/order';
import { pendingOrder } from '../../../domain/order.fixture';
import { CheckoutMetrics } from './checkout-metrics';
import { OrderRepository } from './order.repository';
import { Outbox } from './outbox';

const config = new OrdersConfig(OrdersConfig.env.parse({}));

/** Collects on demand (no export): what a test reads the recorded metrics through. */
class CollectingReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * For tests: installs an OpenTelemetry MeterProvider as the global one (create the code under
 * test after this: it asks the global meter when it is built) and reads the value of a metric
 * for exactly these attributes (counters: the cumulative sum; gauges: the last value), or
 * undefined when it has none. `stop` removes the provider again.
 */
function recordedMetrics() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  return {
    async value(name: string, attributes: Attributes = {}): Promise<number | undefined> {
      const { resourceMetrics } = await reader.collect();
      const points = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) => metric.dataPoints as { attributes: Attributes; value: unknown }[]);
      const point = points.find((p) => sameAttributes(p.attributes, attributes));
      return typeof point?.value === 'number' ? point.value : undefined;
    },
    async stop(): Promise<void> {
      metrics.disable();
      await provider.shutdown();
    },
  };
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function newOrder(overrides: Partial<Order> = {}): Order {
  return pendingOrder({ id: randomUUID(), userId: randomUUID(), ...overrides });
}

// Orders' own metrics, read back through an OpenTelemetry SDK reader: the business counters as
// the repository records them on the changes it really makes, and the outbox gauge.

describe(CheckoutMetrics.name, () => {
  let store: TestRedis;
  let recorded: ReturnType<typeof recordedMetrics>;
  let repository: OrderRepository;

  beforeAll(async () => {
    recorded = recordedMetrics();
    store = await TestRedis.connect({ label: 'checkout-metrics' });
    repository = new OrderRepository(store.redis, new Outbox(store.redis, config), config);
  });

  afterAll(async () => {
    await store.close();
    await recorded.stop();
  });

  /** How much `name` with these attributes grows while `act` runs. */
  async function growth(
    name: string,
    attributes: Record<string, string>,
    act: () => Promise<unknown>,
  ) {
    const before = (await recorded.value(name, attributes)) ?? 0;
    await act();
    return ((await recorded.value(name, attributes)) ?? 0) - before;
  }

  describe('orderPlaced', () => {
    it('counts each order created, by checkout path', async () => {
      const blocking = { 'checkout.path': 'blocking' };
      const queued = { 'checkout.path': 'queued' };
      await expect(
        growth('junction.orders.placed', queued, () => repository.create(newOrder())),
      ).resolves.toBe(1);
      await expect(
        growth('junction.orders.placed', blocking, () =>
          repository.create(newOrder({ mode: 'blocking' })),
        ),
      ).resolves.toBe(1);
    });
  });

  describe('orderCompleted', () => {
    it('counts a confirmed order once, however often its outcome arrives', async () => {
      const order = newOrder();
      await repository.create(order);
      const confirmed = { 'checkout.path': 'queued', 'order.status': 'confirmed' };
      await expect(
        growth('junction.orders.completed', confirmed, async () => {
          await repository.transition(order.id, 'confirmed', '', 1200);
          await repository.transition(order.id, 'confirmed', '', 1200);
          await repository.transition(order.id, 'rejected', 'payment_declined');
        }),
      ).resolves.toBe(1);
    });

    it('counts a rejection by its path and reason code', async () => {
      const order = newOrder({ mode: 'blocking' });
      await repository.create(order);
      const rejected = {
        'checkout.path': 'blocking',
        'order.status': 'rejected',
        'order.reason': 'out_of_stock',
      };
      await expect(
        growth('junction.orders.completed', rejected, () =>
          repository.transition(order.id, 'rejected', 'out_of_stock'),
        ),
      ).resolves.toBe(1);
    });

    it('counts a reason that is not a code as other, never its text', async () => {
      const order = newOrder();
      await repository.create(order);
      const other = {
        'checkout.path': 'queued',
        'order.status': 'rejected',
        'order.reason': 'other',
      };
      await expect(
        growth('junction.orders.completed', other, () =>
          repository.transition(order.id, 'rejected', 'Card of Ada Lovelace, 4242 4242'),
        ),
      ).resolves.toBe(1);
    });

    it('counts nothing for an order that does not exist', async () => {
      const confirmed = { 'checkout.path': 'queued', 'order.status': 'confirmed' };
      await expect(
        growth('junction.orders.completed', confirmed, () =>
          repository.transition(randomUUID(), 'confirmed', ''),
        ),
      ).resolves.toBe(0);
    });
  });
});

describe(Outbox.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'outbox-metrics' });
  });

  afterAll(async () => {
    await store.close();
  });

  describe('the junction.outbox.length gauge', () => {
    it('reports the length of the outbox when metrics are collected', async () => {
      const recorded = recordedMetrics();
      try {
        const outbox = new Outbox(store.redis, config);
        for (const key of ['a', 'b', 'c']) {
          const transaction = store.redis.multi();
          outbox.append(transaction, key, `{"key":"${key}"}`);
          await transaction.exec();
        }
        await expect(recorded.value('junction.outbox.length')).resolves.toBe(3);
        const a = outbox.partitionOf('a');
        await outbox.acquire(a, 'me', 5_000);
        const [first] = await outbox.read(a, 1);
        await outbox.remove(a, 'me', [first!.id]);
        await expect(recorded.value('junction.outbox.length')).resolves.toBe(2);
        outbox.onApplicationShutdown();
      } finally {
        await recorded.stop();
      }
    });
  });
});
