// The orders events stream (GET /orders/{id}/events) held to its limits, with the services as
// processes: a message on the status channel that is not a status change does not take orders
// down; a user gets at most EVENT_STREAMS_PER_USER streams at once (429 with Retry-After beyond)
// and a 404 for an order that is not theirs, which takes no slot;
// and a status change whose pub/sub message never came still reaches the stream and ends it,
// because an open stream reads its order again every EVENT_STREAM_RECHECK_MS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLENTIFUL_SKU as SKU, until } from '@junction/testkit';
import { Redis } from 'ioredis';
import { Api, type Session } from './support/api.mts';
import { REDIS_URL, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

const STATUS_CHANNEL = 'orders:status';

describe('order event streams', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  let redis: Redis;
  const streams: AbortController[] = [];

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({
      env: { orders: { EVENT_STREAMS_PER_USER: '2', EVENT_STREAM_RECHECK_MS: '300' } },
    });
    api = new Api(topology);
    session = await api.newSession();
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    for (const stream of streams) stream.abort();
    redis.disconnect();
    await topology.stop();
    await removeInfrastructure();
  });

  const orders = () => topology.services.find((service) => service.name === 'orders');

  /** Opens a stream and leaves it open (aborted at the end); answers its status and reader. */
  async function openStream(id: string, who = session) {
    const controller = new AbortController();
    streams.push(controller);
    const response = await fetch(topology.url('orders', `/orders/${id}/events`), {
      headers: { authorization: `Bearer ${who.accessToken}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    return { response, controller };
  }

  it('keeps serving streams after messages on the status channel that are not status changes', async () => {
    for (const foreign of ['not json', '{"orderId":5}', 'null', '[]'])
      await redis.publish(STATUS_CHANNEL, foreign);

    const placed = await api.placeOrder(session, { sku: SKU, mode: 'queued' });
    assert.equal(placed.status, 202);
    const { status, events } = await api.streamEvents(session, placed.body.id, 15_000);
    assert.equal(status, 200);
    assert.equal(events.at(-1)?.status, 'confirmed');
    assert.equal(orders()?.process.exitCode, null, 'orders is still running');
  });

  describe('with payment gone (queued orders stay pending)', () => {
    before(async () => {
      const payment = topology.services.find((service) => service.name === 'payment');
      assert.ok(payment);
      payment.process.kill('SIGKILL');
      await payment.exited;
    });

    const pendingOrder = async (who = session): Promise<string> => {
      const placed = await api.placeOrder(who, { sku: SKU, mode: 'queued' });
      assert.equal(placed.status, 202);
      return placed.body.id;
    };

    it('answers 429 with Retry-After to a third stream of one user, and serves other users', async () => {
      const id = await pendingOrder();
      const first = await openStream(id);
      const second = await openStream(id);
      assert.equal(first.response.status, 200);
      assert.equal(second.response.status, 200);

      const third = await api.request<{ message: string }>(
        'orders',
        'GET',
        `/orders/${id}/events`,
        {
          token: session.accessToken,
        },
      );
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
      assert.match(third.body.message, /at most 2 event streams/);

      const someoneElse = await api.newSession();
      const theirs = await openStream(await pendingOrder(someoneElse), someoneElse);
      assert.equal(theirs.response.status, 200);

      // A closed stream gives its slot back.
      first.controller.abort();
      assert.ok(
        await until(async () => {
          const again = await openStream(id);
          if (again.response.status === 200) return true;
          again.controller.abort();
          return false;
        }, 10_000),
        'a slot is free again once a stream closed',
      );
      second.controller.abort();
    });

    it("answers 404 to another user's order and to no order, taking none of their slots", async () => {
      const id = await pendingOrder();
      const stranger = await api.newSession();
      for (let i = 0; i < 3; i += 1) {
        for (const target of [id, '00000000-0000-4000-8000-000000000000']) {
          const refused = await api.request<{ message: string }>(
            'orders',
            'GET',
            `/orders/${target}/events`,
            { token: stranger.accessToken },
          );
          assert.equal(refused.status, 404);
          assert.equal(refused.body.message, `no order ${target}`);
        }
      }
      // Six refusals later the stranger still has both of their streams (the cap is 2).
      const own = [await openStream(await pendingOrder(stranger), stranger)];
      own.push(await openStream(await pendingOrder(stranger), stranger));
      assert.deepEqual(
        own.map((s) => s.response.status),
        [200, 200],
      );
      for (const s of own) s.controller.abort();
    });

    it('ends a stream whose order turned terminal without a pub/sub message', async () => {
      const id = await pendingOrder();
      const reading = api.streamEvents(session, id, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // What a transition does, minus its PUBLISH: the message a reconnecting subscriber misses.
      const change = { status: 'rejected', reason: 'timeout', at: new Date().toISOString() };
      await redis
        .multi()
        .hset(`orders:order:${id}`, 'status', 'rejected', 'reason', 'timeout')
        .rpush(`orders:order:${id}:history`, JSON.stringify(change))
        .exec();

      const { status, events } = await reading;
      assert.equal(status, 200);
      assert.deepEqual(
        events.map((e) => e.status),
        ['pending', 'rejected'],
      );
    });
  });
});
