// The blocking checkout's budget: a Charge that runs out of it is undone in the request itself
// (the undo has a budget of its own, so the stock is back when the 503 arrives, not only after
// the sweeper), and running out of orders' own budget is not held against payment (its circuit
// stays closed). Services as processes; the latency is injected on payment with `npm run fault`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLENTIFUL_SKU as SKU } from '@junction/testkit';
import { Api, type Order, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { fault, FAULT_REFRESH_MS } from './support/fault.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** Shorter than a Charge's own deadline (GRPC_DEADLINE_MS, 2 s): the budget is what runs out. */
const CHECKOUT_BUDGET_MS = 1_000;
/** Longer than the budget; only Charge is slow, so the undo's Refund answers at once. */
const CHARGE_LATENCY_MS = 1_500;
/** More budget-exhausted checkouts than the consecutive failures that open the circuit (5). */
const EXHAUSTED_CHECKOUTS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (body: unknown) => (body as { message?: string }).message ?? '';

describe('the blocking checkout budget', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      env: { orders: { CHECKOUT_BUDGET_MS: String(CHECKOUT_BUDGET_MS) } },
    });
    api = new Api(topology);
    session = await api.newSession();
    await fault('payment', '--operation', 'charge', '--latency', String(CHARGE_LATENCY_MS));
    await sleep(FAULT_REFRESH_MS);
  });

  after(async () => {
    await fault('payment', '--clear').catch(() => undefined);
    await topology.stop();
    await removeInfrastructure();
  });

  const latestOrder = async (): Promise<Order> => {
    const list = await api.request<{ orders: Order[] }>('orders', 'GET', '/orders', {
      token: session.accessToken,
    });
    const [order] = list.body.orders;
    assert.ok(order, 'the blocking order was stored');
    return order;
  };

  it('undoes a Charge that ran out of the budget in the request: the stock is back with the 503', async () => {
    const stock = await api.available(SKU);
    const reply = await api.placeOrder(session, { sku: SKU, mode: 'blocking' });
    assert.equal(reply.status, 503, JSON.stringify(reply.body));

    // Read at once, well before the sweeper (2 × budget old, every 5 s) could have acted.
    assert.equal(await api.available(SKU), stock, 'the in-request undo released the stock');
    const order = await latestOrder();
    assert.equal(order.status, 'rejected');
    assert.equal(order.reason, 'payment_unavailable');
    assert.match(message(reply.body), /payment is unavailable .*deadline exceeded/);

    // The undo's Refund voided the order: the late Charge, when it lands, takes nothing.
    await sleep(CHARGE_LATENCY_MS + 500);
    const payment = await api.request('payment', 'GET', `/payments/${order.id}`, {
      token: session.accessToken,
    });
    assert.equal(payment.status, 404, `no payment: ${JSON.stringify(payment.body)}`);
  });

  it("does not open payment's circuit when checkouts run out of orders' own budget", async () => {
    for (let i = 0; i < EXHAUSTED_CHECKOUTS; i++) {
      const reply = await api.placeOrder(session, { sku: SKU, mode: 'blocking' });
      assert.equal(reply.status, 503, JSON.stringify(reply.body));
      assert.doesNotMatch(message(reply.body), /circuit open/, `checkout ${String(i + 1)}`);
    }
    const status = await fetch(topology.url('orders', '/statusz'));
    const report = (await status.json()) as {
      dependencies: Record<string, { circuit?: string }>;
    };
    assert.equal(report.dependencies.payment?.circuit, 'closed');

    await fault('payment', '--clear');
    await sleep(FAULT_REFRESH_MS);
    const reply = await api.placeOrder(session, { sku: SKU, mode: 'blocking' });
    assert.equal(reply.status, 201, `payment answers again: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body.status, 'confirmed');
  });
});
