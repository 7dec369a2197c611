// A queued order whose saga stalls is given up after QUEUED_ORDER_DEADLINE_MS: rejected as
// `timeout`, its stock released, nothing captured — and the saga's late messages, once the
// stalled service is back, change nothing. And the edge refuses what the saga could not carry
// (a SKU on two lines, a line over the limits every hop shares), instead of accepting it and
// leaving it parked downstream with its stock held.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status as grpcStatus } from '@grpc/grpc-js';
import {
  DEFAULT_SKU,
  PLENTIFUL_SKU as SKU,
  queuesOf,
  REDIS_KEYS,
  sleep,
  until,
} from '@junction/testkit';
import { Redis } from 'ioredis';
import { ROOT, waitUntilReady } from '../../tools/local/topology.mts';
import { Api, type Order, type Session } from './support/api.mts';
import { queueDepth } from './support/broker.mts';
import { REDIS_URL, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { fault as faultOf } from './support/fault.mts';
import { grpcCall } from './support/grpc-call.mts';
import {
  type E2eTopology,
  type RunningService,
  startE2eTopology,
  startQuietly,
} from './support/topology.mts';

/** Orders gives a queued order this long; it sweeps every quarter of it. */
const DEADLINE_MS = 3_000;
/** A Charge slowed down well past the deadline (and the sweep that follows it). */
const CHARGE_LATENCY_MS = 9_000;

const fault = (...args: string[]) => faultOf('payment', ...args);

describe('a queued order: its deadline, and the lines every hop accepts', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  /** A user of the edge tests alone, whose orders are counted. */
  let shopper: Session;
  let redis: Redis;
  let restarted: RunningService | undefined;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      env: { orders: { QUEUED_ORDER_DEADLINE_MS: String(DEADLINE_MS) } },
    });
    api = new Api(topology);
    session = await api.newSession();
    shopper = await api.newSession();
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    await fault('--clear').catch(() => undefined);
    redis.disconnect();
    restarted?.process.kill('SIGTERM');
    await restarted?.exited;
    await topology.stop();
    await removeInfrastructure();
  });

  const placeQueued = async (quantity: number): Promise<Order> => {
    const reply = await api.placeOrder(session, { sku: SKU, quantity, mode: 'queued' });
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    return reply.body;
  };
  const paymentOf = (orderId: string) =>
    api.request<{ status: string }>('payment', 'GET', `/payments/${orderId}`, {
      token: session.accessToken,
    });
  const captured = async (orderId: string) =>
    (await redis.zscore(REDIS_KEYS.captured, orderId)) !== null;
  const listedToCompensate = async (orderId: string) =>
    (await redis.zscore(REDIS_KEYS.toCompensate, orderId)) !== null;

  /** The order ended as the sweeper made it, once: pending → rejected/timeout, nothing else. */
  const assertTimedOut = async (orderId: string) => {
    const order = await api.order(session, orderId);
    assert.equal(order.status, 'rejected', JSON.stringify(order));
    assert.equal(order.reason, 'timeout');
    assert.deepEqual(
      order.history.map((change) => `${change.status}/${change.reason}`),
      ['pending/', 'rejected/timeout'],
    );
  };

  // The edge: what no later hop could carry is refused here, never accepted and parked later.
  const place = (lines: { sku: string; quantity: number }[], mode: 'queued' | 'blocking') =>
    api.request<{ message: string; violations?: { field: string }[] }>(
      'orders',
      'POST',
      '/orders',
      {
        token: shopper.accessToken,
        body: { lines, paymentMethod: 'pm_card_ok', mode },
      },
    );
  const fields = (body: { violations?: { field: string }[] }) =>
    (body.violations ?? []).map((v) => v.field);

  it('refuses a SKU on two lines with 400 naming the line, and holds no stock', async () => {
    const stock = await api.available(DEFAULT_SKU);
    const lines = Array.from({ length: 11 }, () => ({ sku: DEFAULT_SKU, quantity: 100 }));
    for (const mode of ['queued', 'blocking'] as const) {
      const reply = await place(lines, mode);
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.ok(fields(reply.body).includes('lines.1.sku'), JSON.stringify(reply.body));
      assert.match(reply.body.message, /JNC-MUG is on an earlier line/);
    }
    const orders = await api.request<{ orders: unknown[] }>('orders', 'GET', '/orders', {
      token: shopper.accessToken,
    });
    assert.equal(orders.body.orders.length, 0, 'no order was stored');
    assert.equal(await api.available(DEFAULT_SKU), stock, 'no stock was taken');
  });

  it('refuses a line beyond the shared limits at orders, and inventory holds the same limits', async () => {
    const tooMany = await place([{ sku: DEFAULT_SKU, quantity: 101 }], 'queued');
    assert.equal(tooMany.status, 400);
    assert.deepEqual(fields(tooMany.body), ['lines.0.quantity']);
    const lines = Array.from({ length: 21 }, (_, i) => ({ sku: `SKU-${String(i)}`, quantity: 1 }));
    const tooLong = await place(lines, 'queued');
    assert.equal(tooLong.status, 400);
    assert.deepEqual(fields(tooLong.body), ['lines']);

    // What orders refuses, inventory's Reserve refuses too: no hop accepts more than another.
    const reserve = (request: object) =>
      grpcCall({
        target: topology.grpcTarget('inventory'),
        root: ROOT,
        protoFile: 'junction/inventory/v1/inventory.proto',
        service: 'junction.inventory.v1.InventoryService',
        method: 'Reserve',
        request,
      });
    const stock = await api.available(DEFAULT_SKU);
    const over = await reserve({
      orderId: `limits-${String(Date.now())}`,
      lines: [{ sku: DEFAULT_SKU, quantity: 101 }],
    });
    assert.equal(over.code, grpcStatus.INVALID_ARGUMENT, over.details);
    assert.match(over.details, /lines\.0\.quantity/);
    const twice = await reserve({
      orderId: `limits-twice-${String(Date.now())}`,
      lines: [
        { sku: DEFAULT_SKU, quantity: 60 },
        { sku: DEFAULT_SKU, quantity: 60 },
      ],
    });
    assert.equal(twice.code, grpcStatus.INVALID_ARGUMENT, twice.details);
    assert.match(twice.details, /lines\.1\.sku/);
    assert.equal(await api.available(DEFAULT_SKU), stock);
  });

  it('rejects a queued order whose charge stalls as timeout, returns its stock, and refuses the late charge', async () => {
    await fault('--operation', 'charge', '--latency', String(CHARGE_LATENCY_MS));
    await sleep(1_500); // every replica re-reads the faults
    const stock = await api.available(SKU);
    const placedAt = Date.now();
    const order = await placeQueued(2);
    assert.ok(
      await until(async () => (await api.available(SKU)) === stock - 2, 5_000),
      'inventory reserved the order: the saga stalls at payment',
    );

    const settled = await api.settled(session, order.id, DEADLINE_MS + 10_000);
    assert.ok(Date.now() - placedAt >= DEADLINE_MS, 'not before its deadline');
    assert.equal(settled.reason, 'timeout', JSON.stringify(settled));
    assert.ok(
      await until(async () => (await api.available(SKU)) === stock, 5_000),
      'the sweeper released the stock',
    );
    assert.ok(
      await until(async () => !(await listedToCompensate(order.id)), 5_000),
      'the compensation is done (payment voided the order)',
    );

    // The slowed Charge of the saga reaches payment's domain after the void, and is refused.
    await sleep(Math.max(0, placedAt + CHARGE_LATENCY_MS + 3_000 - Date.now()));
    assert.ok(await until(async () => (await queueDepth(queuesOf('payment').main)) === 0, 10_000));
    assert.equal((await paymentOf(order.id)).status, 404, 'no payment for the timed-out order');
    assert.equal(await captured(order.id), false, 'nothing captured');
    assert.equal(await redis.exists(`${REDIS_KEYS.voidedPrefix}${order.id}`), 1, 'voided');
    assert.equal(await api.available(SKU), stock, 'the late charge took no stock either');
    await assertTimedOut(order.id);
    await fault('--clear');
  });

  it('times out a queued order while payment is dead, and the late capture after its restart is refunded', async () => {
    const payment = topology.services.find((service) => service.name === 'payment');
    assert.ok(payment);
    payment.process.kill('SIGKILL');
    await payment.exited;

    const stock = await api.available(SKU);
    const order = await placeQueued(1);
    assert.ok(
      await until(async () => (await api.available(SKU)) === stock - 1, 5_000),
      'inventory reserved the order; its inventory.reserved waits for payment',
    );
    const settled = await api.settled(session, order.id, DEADLINE_MS + 10_000);
    assert.equal(settled.reason, 'timeout', JSON.stringify(settled));
    assert.ok(
      await until(async () => (await api.available(SKU)) === stock, 5_000),
      'the stock is back while payment is still dead',
    );
    await sleep(2_000); // a few sweeps: the refund cannot reach payment
    assert.ok(
      await listedToCompensate(order.id),
      'the refund is not forgotten while payment is dead',
    );

    restarted = startQuietly('payment');
    await waitUntilReady(restarted);
    // Payment now charges the waiting inventory.reserved (or finds the order voided first); the
    // sweeper's refund reaches it once its circuit closes again.
    const balanced = await until(
      async () =>
        (await queueDepth(queuesOf('payment').main)) === 0 &&
        !(await listedToCompensate(order.id)) &&
        !(await captured(order.id)),
      30_000,
    );
    assert.ok(balanced, 'the order is compensated and nothing stays captured');
    const answer = await paymentOf(order.id);
    assert.ok(
      answer.status === 404 || answer.body.status === 'refunded',
      `voided, or captured late and refunded: ${JSON.stringify(answer)}`,
    );
    assert.ok(await until(async () => (await queueDepth(queuesOf('orders').main)) === 0, 10_000));
    assert.equal(await queueDepth(queuesOf('orders').parking), 0, 'orders parked nothing');
    assert.equal(await api.available(SKU), stock);
    await assertTimedOut(order.id);
  });
});
