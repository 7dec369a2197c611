import { randomUUID } from 'node:crypto';
import { FixedClock, mockOf, TestRedis } from '@junction/platform/testing';
import { type Command, type Redis } from 'ioredis';
import { OrdersConfig } from '../../../config';
import { CheckoutCompensation } from '../../../domain/checkout-compensation';
import { CheckoutService } from '../../../domain/checkout.service';
import { type PlaceOrder } from '../../../domain/order';
import {
  type CheckoutEvents,
  type OrderStatusFeed,
  type PaymentGateway,
  type StockReserver,
} from '../../../domain/ports';
import { Sha256RequestFingerprint } from '../crypto/sha256-request-fingerprint';
import { OrderRepository } from './order.repository';
import { Outbox } from './outbox';

const config = new OrdersConfig(OrdersConfig.env.parse({}));

const queuedRequest: PlaceOrder = {
  lines: [{ sku: 'JNC-MUG', quantity: 1 }],
  paymentMethod: 'pm_card_ok',
  mode: 'queued',
};

/** The checkout of orders over a real OrderRepository on `redis`; the peers are not reached. */
function checkoutOn(redis: Redis) {
  const repository = new OrderRepository(redis, new Outbox(redis, config), config);
  const events = mockOf<CheckoutEvents>();
  events.orderPlaced.mockImplementation((order) => JSON.stringify({ orderId: order.id }));
  events.flush.mockImplementation(() => undefined);
  const statuses = mockOf<OrderStatusFeed>();
  statuses.watch.mockImplementation(() => () => undefined);
  const inventory = mockOf<StockReserver>();
  const payment = mockOf<PaymentGateway>();
  const service = new CheckoutService(
    repository,
    inventory,
    payment,
    events,
    statuses,
    new Sha256RequestFingerprint(),
    new CheckoutCompensation(inventory, payment),
    new FixedClock(),
    config,
  );
  const place = (userId: string, key: string) =>
    service.place({ orderId: randomUUID(), userId, request: queuedRequest, idempotencyKey: key });
  return { repository, place };
}

/**
 * A connection that dies as soon as Redis has answered the first command that touches an
 * Idempotency-Key: whatever the checkout meant to write after that never arrives.
 */
function dyingAfterTheKey(redis: Redis): Redis {
  const send = redis.sendCommand.bind(redis);
  let dead = false;
  redis.sendCommand = (command: Command, ...rest: [never?]) => {
    const touchesKey = command.args.some((arg) => String(arg).includes('idempotency:'));
    const sent = send(command, ...rest);
    if (touchesKey && !dead) {
      dead = true;
      void command.promise.finally(() => {
        redis.disconnect();
      });
    }
    return sent;
  };
  return redis;
}

describe('CheckoutService with the Idempotency-Key in Redis', () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'orders-idempotent-checkout' });
  });

  afterAll(async () => {
    await store.close();
  });

  it('leaves no key bound to a missing order when the connection dies after binding it', async () => {
    const userId = randomUUID();
    const key = randomUUID();
    const doomed = checkoutOn(dyingAfterTheKey(store.anotherConnection()));
    await doomed.place(userId, key).catch(() => undefined);

    const healthy = checkoutOn(store.redis);
    const retry = await healthy.place(userId, key);
    await expect(healthy.repository.find(retry.order.id)).resolves.toMatchObject({
      id: retry.order.id,
      userId,
      status: 'pending',
    });
  }, 20_000);

  it('takes over a key that an earlier crash left bound to an order never written', async () => {
    const userId = randomUUID();
    const key = randomUUID();
    const fingerprint = new Sha256RequestFingerprint().of(queuedRequest);
    await store.redis.set(`idempotency:${userId}:${key}`, `${fingerprint}|never-written`);

    const { repository, place } = checkoutOn(store.redis);
    const retry = await place(userId, key);
    expect(retry.created).toBe(true);
    await expect(repository.find(retry.order.id)).resolves.toMatchObject({ status: 'pending' });
    await expect(store.redis.get(`idempotency:${userId}:${key}`)).resolves.toBe(
      `${fingerprint}|${retry.order.id}`,
    );
    await expect(place(userId, key)).resolves.toMatchObject({
      order: { id: retry.order.id },
      created: false,
    });
  }, 20_000);
});
