// The trust boundaries, enforced by Redis and RabbitMQ themselves: every service runs as its own
// Redis ACL user and RabbitMQ user (provisioned as `npm start` and the chart do, from
// topology.yaml), does all it does — sign-up, login, both checkouts, the saga, the events
// stream — and cannot touch another service's keys, publish another service's events or
// consume another service's queue.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connect, type Options } from 'amqplib';
import { Redis } from 'ioredis';
import { brokerUserOf, EVENTS_EXCHANGE, rabbitmqctl, until } from '@junction/testkit';
import {
  provisionServiceAccess,
  randomPasswords,
  removeServiceAccess,
  type ServiceUrls,
} from '../../tools/local/service-access.mts';
import { Api, type Session } from './support/api.mts';
import { drain } from './support/broker.mts';
import {
  RABBITMQ_URL,
  REDIS_URL,
  removeInfrastructure,
  resetInfrastructure,
  VHOST,
} from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** This run's users: unique, so runs beside each other (or twice) never share one. */
const userPrefix = `e2e-access-${randomBytes(4).toString('hex')}-`;

/** How a publish on a channel of `url` ends: confirmed, or the error that closed the channel. */
async function publishAs(
  url: string,
  routingKey: string,
  messageId = randomBytes(8).toString('hex'),
  options: {
    /** The default exchange (`''`, routing key = queue) instead of the events exchange. */
    readonly exchange?: string;
    readonly content?: string;
    readonly properties?: Options.Publish;
  } = {},
): Promise<string> {
  const connection = await connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    const closed = new Promise<string>((resolve) => {
      channel.on('error', (error: Error) => {
        resolve(error.message);
      });
    });
    const confirmed = new Promise<string>((resolve) => {
      channel.publish(
        options.exchange ?? EVENTS_EXCHANGE,
        routingKey,
        Buffer.from(options.content ?? JSON.stringify({ messageId })),
        {
          persistent: true,
          contentType: 'application/json',
          messageId,
          // As the services do: the broker checks it against the login.
          userId: brokerUserOf(url),
          ...options.properties,
        },
        (error: unknown) => {
          resolve(error ? 'nacked' : 'confirmed');
        },
      );
    });
    return await Promise.race([closed, confirmed]);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Whether `url`'s user may start consuming `queue` (then cancels at once): ok or the error. */
async function consumeAs(url: string, queue: string): Promise<string> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      // Cancelled at once; a message delivered meanwhile goes back to the queue.
      await channel.prefetch(1);
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message) channel.nack(message, false, true);
      });
      await channel.cancel(consumerTag);
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

describe('service access', () => {
  let urls: ServiceUrls;
  let topology: E2eTopology;
  let api: Api;
  let session: Session;

  before(async () => {
    await resetInfrastructure();
    urls = await provisionServiceAccess({
      redisUrl: REDIS_URL,
      rabbitmqUrl: RABBITMQ_URL,
      userPrefix,
      passwords: randomPasswords(),
    });
    const env = Object.fromEntries(
      Object.entries(urls).map(([name, own]) => [
        name,
        {
          ...(own.redisUrl ? { REDIS_URL: own.redisUrl } : {}),
          ...(own.rabbitmqUrl ? { RABBITMQ_URL: own.rabbitmqUrl } : {}),
        },
      ]),
    );
    topology = await startE2eTopology({ env });
    api = new Api(topology);
    session = await api.newSession();
  });

  after(async () => {
    await topology.stop();
    await removeServiceAccess({ redisUrl: REDIS_URL, userPrefix });
    await removeInfrastructure();
  });

  it('runs every service as its own user: sign-up, both checkouts, the saga and the events stream work', async () => {
    // The services' connections really are their own users (Redis: by connection name, in this
    // run's database; RabbitMQ: in this run's vhost).
    const admin = new Redis(REDIS_URL);
    const clients = (await admin.client('LIST').finally(() => {
      admin.disconnect();
    })) as string;
    const db = new URL(REDIS_URL).pathname.slice(1) || '0';
    const redisUsers = new Map<string, Set<string>>();
    for (const line of clients.split('\n')) {
      const fields = Object.fromEntries(
        line.split(' ').map((f) => f.split('=') as [string, string]),
      );
      if (fields.db !== db || !fields.name || !(fields.name in urls)) continue;
      redisUsers.set(
        fields.name,
        (redisUsers.get(fields.name) ?? new Set()).add(fields.user ?? ''),
      );
    }
    assert.deepEqual(
      Object.fromEntries([...redisUsers].map(([name, users]) => [name, [...users]]).sort()),
      Object.fromEntries(
        ['auth', 'inventory', 'orders', 'payment', 'user'].map((name) => [
          name,
          [`${userPrefix}${name}`],
        ]),
      ),
    );
    const brokerUsers = (
      await rabbitmqctl(['list_connections', 'vhost', 'user', '--no-table-headers'])
    )
      .split('\n')
      .map((line) => line.trim().split('\t'))
      .filter(([vhost]) => vhost === VHOST)
      .map(([, user]) => user);
    assert.deepEqual(
      [...new Set(brokerUsers)].sort(),
      ['inventory', 'orders', 'payment'].map((name) => `${userPrefix}${name}`),
    );
    const before = await api.available('JNC-MUG');
    const blocking = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'blocking' });
    assert.equal(blocking.status, 201);
    assert.equal(blocking.body.status, 'confirmed');
    const declined = await api.placeOrder(session, {
      sku: 'JNC-MUG',
      mode: 'queued',
      paymentMethod: 'pm_card_declined',
    });
    assert.equal(declined.status, 202);
    const queued = await api.placeOrder(session, { sku: 'JNC-MUG', mode: 'queued' });
    assert.equal(queued.status, 202);
    const stream = await api.streamEvents(session, queued.body.id);
    assert.equal(stream.status, 200);
    assert.equal(stream.events.at(-1)?.status, 'confirmed', JSON.stringify(stream.events));
    const rejected = await api.settled(session, declined.body.id);
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.reason, 'payment_declined');
    // Two units sold; the declined order's reservation went back (inventory's release script).
    assert.ok(
      await until(async () => (await api.available('JNC-MUG')) === before - 2, 10_000),
      `stock ${String(await api.available('JNC-MUG'))}, not ${String(before - 2)}`,
    );
    // The reads of each service, as its own user.
    const token = session.accessToken;
    for (const [service, path] of [
      ['user', '/users/me'],
      ['inventory', '/inventory/items'],
      ['orders', '/orders'],
      ['payment', `/payments/${blocking.body.id}`],
    ] as const) {
      const reply = await api.request(service, 'GET', path, { token });
      assert.equal(reply.status, 200, `GET ${path}: ${JSON.stringify(reply.body)}`);
    }
    const refresh = await api.request('auth', 'POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    assert.equal(refresh.status, 200, 'session rotation (a Lua script reading TIME)');
    for (const [service, lines] of topology.logs) {
      for (const line of lines) {
        assert.doesNotMatch(
          line,
          /NOPERM|ACCESS_REFUSED|access to .* refused/,
          `${service}: ${line}`,
        );
      }
    }
  });

  it("refuses orders' Redis user payment's keys and channels, and the server's commands", async () => {
    const orders = new Redis(urls.orders?.redisUrl ?? '', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await orders.connect();
      const own = `orders:acl-probe:${randomBytes(4).toString('hex')}`;
      assert.equal(await orders.set(own, 'x', 'EX', 60), 'OK');
      assert.equal(await orders.get(own), 'x');
      await orders.del(own);
      const refused = async (command: Promise<unknown>) => {
        const outcome = await command.then(
          () => 'allowed',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        assert.match(outcome, /NOPERM/);
      };
      await refused(orders.get('payment:payment:any'));
      await refused(orders.hset('payment:payment:any', 'status', 'captured'));
      await refused(orders.eval("return redis.call('GET', KEYS[1])", 1, 'payment:payment:any'));
      await refused(orders.publish('payment:status', 'x'));
      await refused(orders.flushdb());
      await refused(orders.keys('*'));
      await refused(orders.scan('0'));
    } finally {
      orders.disconnect();
    }
  });

  it("refuses orders' broker user publishing payment's events and consuming payment's queue", async () => {
    const orders = urls.orders?.rabbitmqUrl ?? '';
    assert.match(await publishAs(orders, 'payment.captured'), /ACCESS_REFUSED/);
    assert.match(await publishAs(orders, 'inventory.reserved'), /ACCESS_REFUSED/);
    // Its own event is confirmed: this one is malformed, so inventory parks it — through the
    // default exchange, as inventory's own user.
    const malformed = `acl-probe-${randomBytes(4).toString('hex')}`;
    assert.equal(await publishAs(orders, 'order.placed', malformed), 'confirmed');
    const parked: string[] = [];
    assert.ok(
      await until(async () => {
        parked.push(...(await drain('inventory.events.parking')).map((m) => m.content));
        return parked.some((content) => content.includes(malformed));
      }, 15_000),
      `not parked by inventory: ${JSON.stringify(parked)}`,
    );
    assert.match(await consumeAs(orders, 'payment.events'), /ACCESS_REFUSED/);
    assert.equal(await consumeAs(orders, 'orders.events'), 'ok');
    const payment = urls.payment?.rabbitmqUrl ?? '';
    assert.equal(await publishAs(payment, 'payment.captured'), 'confirmed');
    assert.match(await publishAs(payment, 'order.placed'), /ACCESS_REFUSED/);
    for (const [service, lines] of topology.logs) {
      for (const line of lines) {
        assert.doesNotMatch(line, /NOPERM|ACCESS_REFUSED/, `${service}: ${line}`);
      }
    }
  });

  it("parks an event put straight into a service's queue by a user that is not its publisher", async () => {
    // Inventory may write to the default exchange (its retries, its RPC replies), so it can put
    // a `payment.captured` — payment's event — straight into orders' queue. The broker lets it
    // name only itself as the sender, and orders accepts payment.captured from payment only.
    const inventory = urls.inventory?.rabbitmqUrl ?? '';
    const orderId = `forged-${randomBytes(4).toString('hex')}`;
    const messageId = `payment.captured:${orderId}`;
    const forged = {
      exchange: '',
      content: JSON.stringify({
        messageId,
        type: 'payment.captured',
        occurredAt: new Date().toISOString(),
        orderId,
        amountCents: 1200,
      }),
      properties: {
        type: 'payment.captured',
        headers: { 'x-original-routing-key': 'payment.captured' },
      },
    };
    assert.match(
      await publishAs(inventory, 'orders.events', messageId, {
        ...forged,
        properties: { ...forged.properties, userId: `${userPrefix}payment` },
      }),
      /PRECONDITION_FAILED.*user_id/,
      "the broker refuses a user-id other than the connection's",
    );
    assert.equal(await publishAs(inventory, 'orders.events', messageId, forged), 'confirmed');
    const parked: { content: string; headers: Record<string, unknown> }[] = [];
    assert.ok(
      await until(async () => {
        parked.push(...(await drain('orders.events.parking')));
        return parked.some((m) => m.content.includes(messageId));
      }, 15_000),
      `not parked by orders: ${JSON.stringify(parked)}`,
    );
    const reason = String(
      parked.find((m) => m.content.includes(messageId))?.headers['x-parked-reason'],
    );
    assert.match(
      reason,
      new RegExp(`untrusted sender: payment\\.captured from broker user "${userPrefix}inventory"`),
    );
    assert.match(
      reason,
      new RegExp(`accepted from "${userPrefix}orders" or "${userPrefix}payment"`),
    );
  });
});
