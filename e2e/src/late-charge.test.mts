// A blocking checkout whose Charge is slower than the sweeper of abandoned checkouts: the
// sweeper refunds first (nothing charged yet), releases the stock and rejects the order
// `interrupted`; the Charge that arrives afterwards must be refused, so the books hold — no
// capture for a rejected order, in payment's answers and in its Redis keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLENTIFUL_SKU as SKU, REDIS_KEYS, until } from '@junction/testkit';
import { Redis } from 'ioredis';
import { Api, type Session } from './support/api.mts';
import { REDIS_URL, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { fault, FAULT_REFRESH_MS } from './support/fault.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** Orders sweeps checkouts older than twice this budget (here 1 s), every 5 s. */
const CHECKOUT_BUDGET_MS = 500;
/**
 * Longer than the sweep's age and two of its intervals, with room to spare. (Payment's circuit
 * stays closed: a Charge that runs out of orders' budget is not counted against payment.)
 */
const CHARGE_LATENCY_MS = 16_000;

describe('a charge later than the sweeper of abandoned checkouts', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let redis: Redis;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      env: {
        orders: {
          CHECKOUT_BUDGET_MS: String(CHECKOUT_BUDGET_MS),
          // No time for the in-request undo (which would reject the order payment_unavailable
          // at once, checkout-budget.test.mts): the sweeper is the one that undoes it here.
          COMPENSATION_BUDGET_MS: '0',
        },
      },
    });
    api = new Api(topology);
    session = await api.newSession();
    redis = new Redis(REDIS_URL);
    // Only Charge is slow: the sweeper's Refund reaches payment long before it.
    await fault('payment', '--operation', 'charge', '--latency', String(CHARGE_LATENCY_MS));
    await new Promise((resolve) => setTimeout(resolve, FAULT_REFRESH_MS));
  });

  after(async () => {
    await fault('payment', '--clear').catch(() => undefined);
    redis.disconnect();
    await topology.stop();
    await removeInfrastructure();
  });

  it('rejects the order interrupted and never captures its late charge', async () => {
    const stock = await api.available(SKU);
    const startedAt = Date.now();
    const reply = await api.placeOrder(session, { sku: SKU, mode: 'blocking' });
    assert.ok(reply.status >= 500, `the checkout ran out of budget: ${JSON.stringify(reply)}`);
    const orders = await api.request<{ orders: { id: string }[] }>('orders', 'GET', '/orders', {
      token: session.accessToken,
    });
    const [order] = orders.body.orders;
    assert.ok(order, 'the blocking order was stored');

    const settled = await api.settled(session, order.id, CHARGE_LATENCY_MS);
    assert.equal(settled.status, 'rejected');
    assert.equal(settled.reason, 'interrupted');
    const paymentOf = () =>
      api.request('payment', 'GET', `/payments/${order.id}`, { token: session.accessToken });
    const early = await paymentOf();
    assert.ok(Date.now() - startedAt < CHARGE_LATENCY_MS, 'the sweeper finished before the charge');
    assert.equal(early.status, 404, `the sweeper went first: ${JSON.stringify(early.body)}`);

    // Let the late Charge (and any retry of it) reach payment's domain and be decided.
    await new Promise((resolve) =>
      setTimeout(resolve, startedAt + CHARGE_LATENCY_MS + 3_000 - Date.now()),
    );
    const payment = await paymentOf();
    assert.equal(
      payment.status,
      404,
      `no payment for the rejected order: ${JSON.stringify(payment.body)}`,
    );
    assert.equal(await redis.zscore(REDIS_KEYS.captured, order.id), null, 'nothing captured');
    assert.equal(await redis.exists(`${REDIS_KEYS.paymentPrefix}${order.id}`), 0, 'no payment');
    assert.equal(await redis.exists(`${REDIS_KEYS.voidedPrefix}${order.id}`), 1, 'voided');
    assert.ok(
      await until(async () => (await api.available(SKU)) === stock, 5_000),
      'the sweeper released the stock',
    );
    // The order stays what the sweeper made it.
    assert.equal((await api.order(session, order.id)).reason, 'interrupted');
  });
});
