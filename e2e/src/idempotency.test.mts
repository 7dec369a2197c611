// Idempotency-Key across a transient failure: a blocking checkout that answered 503 (payment
// was down) is not replayed as a 201 with the rejected order when the client retries with the
// same key once payment is back; the retry is a fresh attempt that charges exactly once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PLENTIFUL_SKU as SKU } from '@junction/testkit';
import { waitUntilReady } from '../../tools/local/topology.mts';
import { Api, type Order, type Reply, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import {
  type E2eTopology,
  type RunningService,
  startE2eTopology,
  startQuietly,
} from './support/topology.mts';

describe('Idempotency-Key after a 503', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let restarted: RunningService | undefined;

  before(async () => {
    await resetInfrastructure();
    // A short checkout budget, so the sweeper settles the interrupted checkout within the test.
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

  it('answers a retry of a checkout that failed with 503 with a fresh attempt, not the rejected order', async () => {
    const key = `retry-after-503-${randomUUID()}`;
    const stock = await api.available(SKU);
    const payment = topology.services.find((service) => service.name === 'payment');
    assert.ok(payment);
    payment.process.kill('SIGKILL');
    await payment.exited;

    const failed = await api.placeOrder(session, { sku: SKU, mode: 'blocking' }, key);
    assert.equal(failed.status, 503, JSON.stringify(failed.body));

    restarted = startQuietly('payment');
    await waitUntilReady(restarted);
    // Until the interrupted attempt is settled (the sweeper refunds and rejects it), a retry
    // may still answer 503; the first answer that is not a 503 is the one that matters.
    let retry: Reply<Order> | undefined;
    const deadline = Date.now() + 45_000;
    do {
      retry = await api.placeOrder(session, { sku: SKU, mode: 'blocking' }, key);
      if (retry.status === 503) await new Promise((resolve) => setTimeout(resolve, 500));
    } while (retry.status === 503 && Date.now() < deadline);

    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.body.status, 'confirmed', `the retry must not replay ${retry.body.reason}`);
    assert.equal(retry.headers.get('idempotent-replayed'), null, 'a fresh attempt, not a replay');

    const again = await api.placeOrder(session, { sku: SKU, mode: 'blocking' }, key);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, retry.body.id, 'from now on the key replays the confirmed order');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');

    const charged = await api.request<{ status: string }>(
      'payment',
      'GET',
      `/payments/${retry.body.id}`,
      { token: session.accessToken },
    );
    assert.equal(charged.body.status, 'captured');
    assert.equal(await api.available(SKU), stock - 1, 'one unit sold, the failed attempt undone');
  });
});
