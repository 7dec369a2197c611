// Checkouts that several suites run the same way (the services as processes, and as containers)
// and the outcome each must reach: asserted here once.
import assert from 'node:assert/strict';
import { CARDS } from '@junction/testkit';
import { type Api, type Order, type Session } from './api.mts';

/** Sets a SKU's stock directly in inventory's keyspace (test setup only). */
export type SetStock = (sku: string, stock: number) => Promise<void>;

/**
 * A queued checkout of one hoodie (4 in stock): 202 pending with its Location at once, its
 * events stream ends confirmed after pending, and 3 are left.
 */
export async function queuedCheckoutConfirms(
  api: Api,
  session: Session,
  setStock: SetStock,
): Promise<void> {
  await setStock('JNC-HOODIE', 4);
  const reply = await api.placeOrder(session, { sku: 'JNC-HOODIE', mode: 'queued' });
  assert.equal(reply.status, 202, JSON.stringify(reply.body));
  assert.equal(reply.body.status, 'pending');
  assert.equal(reply.headers.get('location'), `/orders/${reply.body.id}`);
  const { status, events } = await api.streamEvents(session, reply.body.id);
  assert.equal(status, 200);
  assert.equal(events.at(-1)?.status, 'confirmed');
  assert.deepEqual(
    (events.at(-1) as Order).history.map((h) => h.status),
    ['pending', 'confirmed'],
  );
  assert.equal(await api.available('JNC-HOODIE'), 3);
}

/** A blocking checkout of a cap (5 in stock) with a declined card: 201 rejected, 5 left. */
export async function declinedBlockingCheckoutRestoresStock(
  api: Api,
  session: Session,
  setStock: SetStock,
): Promise<void> {
  await setStock('JNC-CAP', 5);
  const reply = await api.placeOrder(session, {
    sku: 'JNC-CAP',
    paymentMethod: CARDS.declined,
    mode: 'blocking',
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  assert.equal(reply.body.status, 'rejected');
  assert.equal(reply.body.reason, 'payment_declined');
  assert.equal(await api.available('JNC-CAP'), 5);
}
