// The outbox: with RabbitMQ unreachable from orders, orders stays ready and queued orders are
// still accepted (202), and once the broker is back every one of them reaches a terminal state.
// None is lost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type Session } from './support/api.mts';
import {
  PORT_OFFSET,
  removeInfrastructure,
  resetInfrastructure,
  VHOST,
} from './support/environment.mts';
import { TcpProxy } from './support/tcp-proxy.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

// Offset like the services' ports, so runs with different E2E_PORT_OFFSETs do not collide.
const PROXY_PORT = 5672 + PORT_OFFSET;

describe('outbox', () => {
  let topology: E2eTopology;
  let api: Api;
  let session: Session;
  const proxy = new TcpProxy(PROXY_PORT, 5672);

  before(async () => {
    await resetInfrastructure();
    await proxy.open();
    topology = await startE2eTopology({
      env: {
        orders: { RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${String(PROXY_PORT)}/${VHOST}` },
      },
    });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    await proxy.cut();
    await topology.stop();
    await removeInfrastructure();
  });

  it('accepts queued orders while the broker is unreachable and completes them all once it is back', async () => {
    await proxy.cut();
    // orders notices the broker is gone (on /statusz) and stays ready: the outbox covers it.
    let broker: { state: string; connection: string } | undefined;
    for (let i = 0; i < 50 && broker?.state !== 'down'; i++) {
      const status = (await (await fetch(topology.url('orders', '/statusz'))).json()) as {
        dependencies: Record<string, { state: string; connection: string }>;
      };
      broker = status.dependencies.rabbitmq;
      if (broker?.state !== 'down') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(broker?.state, 'down', 'orders should see RabbitMQ down');
    assert.equal(broker.connection, 'reconnecting');
    assert.equal((await fetch(topology.url('orders', '/readyz'))).status, 200, 'and stay ready');

    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.placeOrder(session, {
          sku: 'JNC-STICKER',
          mode: 'queued',
          paymentMethod: i % 3 === 0 ? 'pm_card_declined' : 'pm_card_ok',
        }),
      ),
    );
    assert.ok(replies.every((reply) => reply.status === 202));
    assert.equal((await fetch(topology.url('orders', '/readyz'))).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const reply of replies)
      assert.equal((await api.order(session, reply.body.id)).status, 'pending');

    await proxy.open();
    const orders = await Promise.all(
      replies.map((reply) => api.settled(session, reply.body.id, 30_000)),
    );
    assert.equal(orders.filter((o) => o.status === 'confirmed').length, 6);
    assert.equal(
      orders.filter((o) => o.status === 'rejected' && o.reason === 'payment_declined').length,
      4,
    );
  });
});
