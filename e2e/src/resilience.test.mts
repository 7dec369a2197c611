// The blocking path under a dead dependency: it fails fast with 503 + Retry-After once the
// circuit opens, instead of piling requests up; the queued path keeps accepting; and once the
// dependency is back, the interrupted checkouts are settled and both paths work again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLENTIFUL_SKU as SKU, until } from '@junction/testkit';
import { waitUntilReady } from '../../tools/local/topology.mts';
import { Api, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import {
  type E2eTopology,
  type RunningService,
  startE2eTopology,
  startQuietly,
} from './support/topology.mts';

describe('blocking path resilience', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let restarted: RunningService | undefined;

  before(async () => {
    await resetInfrastructure();
    // A short checkout budget, so the sweeper of interrupted checkouts acts within the test.
    topology = await startE2eTopology({ env: { orders: { CHECKOUT_BUDGET_MS: '2000' } } });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    restarted?.process.kill('SIGTERM');
    await restarted?.exited;
    await topology.stop();
    await removeInfrastructure();
  });

  const message = (body: unknown) => (body as { message: string }).message;

  const interrupted = async () => {
    const list = await api.request<{ orders: { status: string; reason: string }[] }>(
      'orders',
      'GET',
      '/orders',
      { token: session.accessToken },
    );
    return list.body.orders.filter((o) => o.status === 'rejected' && o.reason === 'interrupted')
      .length;
  };

  it('answers 503 with Retry-After while payment is dead, opens the circuit, keeps queueing, and recovers', async () => {
    const payment = topology.services.find((service) => service.name === 'payment');
    assert.ok(payment);
    payment.process.kill('SIGKILL');
    await payment.exited;

    const stock = await api.available(SKU);
    const failures = [];
    for (let i = 0; i < 8; i++)
      failures.push(await api.placeOrder(session, { sku: SKU, mode: 'blocking' }));
    for (const reply of failures) {
      assert.equal(reply.status, 503, JSON.stringify(reply.body));
      assert.ok(Number(reply.headers.get('retry-after')) >= 1);
      assert.match(message(reply.body), /payment is unavailable/);
    }
    assert.match(message(failures.at(-1)?.body), /circuit open/, 'later calls fail fast');
    assert.equal(await api.available(SKU), stock, 'failed blocking orders released their stock');

    const queued = await api.placeOrder(session, { sku: SKU, mode: 'queued' });
    assert.equal(queued.status, 202, 'the queued path keeps accepting');

    restarted = startQuietly('payment');
    await waitUntilReady(restarted);
    const settled = await api.settled(session, queued.body.id, 30_000);
    assert.equal(settled.status, 'confirmed', 'the queued order completes once payment is back');

    // Whether payment charged before it died is unknown until it answers again; then the
    // sweeper refunds whatever there is and rejects the interrupted checkouts.
    assert.ok(await until(async () => (await interrupted()) === 8, 30_000), 'all 8 settled');

    const recovered = await until(
      async () => (await api.placeOrder(session, { sku: SKU, mode: 'blocking' })).status === 201,
      20_000,
    );
    assert.ok(recovered, 'the circuit closes again once payment answers');
    assert.equal(await api.available(SKU), stock - 2);
  });
});
