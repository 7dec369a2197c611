// npm run provision against the machine's real Redis and RabbitMQ: idempotent (provisioning
// again resets every user to its rules and its current password), and removed without a trace.
// Users and the vhost are this run's own (unique names), deleted afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { deleteVhost, rabbitmqctl, rabbitmqUrl, recreateVhost } from '@junction/testkit';
import { serviceAccess } from '@junction/topology/access';
import { loadTopology } from '@junction/topology';
import { type Passwords, provisionServiceAccess, removeServiceAccess } from './service-access.mts';

const run = randomBytes(4).toString('hex');
const userPrefix = `test-provision-${run}-`;
const vhost = `junction-provision-${run}`;
const REDIS = 'redis://127.0.0.1:6379';
const options = { redisUrl: REDIS, rabbitmqUrl: rabbitmqUrl(vhost), userPrefix };
const fixed =
  (tag: string): Passwords =>
  (service, store) =>
    `${tag}-${service}-${store}`;

async function redisUsers(): Promise<string[]> {
  const admin = new Redis(REDIS);
  try {
    return ((await admin.call('ACL', 'USERS')) as string[]).filter((u) => u.startsWith(userPrefix));
  } finally {
    admin.disconnect();
  }
}

async function brokerUsers(): Promise<string[]> {
  return (await rabbitmqctl(['list_users', '--no-table-headers']))
    .split('\n')
    .map((line) => line.split('\t')[0] ?? '')
    .filter((u) => u.startsWith(userPrefix))
    .sort();
}

describe(provisionServiceAccess.name, () => {
  const access = serviceAccess(loadTopology());

  before(async () => {
    await recreateVhost(vhost);
  });

  after(async () => {
    await removeServiceAccess(options);
    await deleteVhost(vhost);
  });

  it('creates each user with its rules, and provisioning again resets it to the current password', async () => {
    // Passwords that start with `-` (a base64url password may): not taken for options.
    await provisionServiceAccess({ ...options, passwords: fixed('-first') });
    const urls = await provisionServiceAccess({ ...options, passwords: fixed('-second') });
    const orders = new Redis(urls.orders?.redisUrl ?? '', { lazyConnect: true });
    try {
      await orders.connect();
      assert.equal(await orders.call('ACL', 'WHOAMI').catch(() => 'refused'), 'refused');
      assert.equal(await orders.ping(), 'PONG');
    } finally {
      orders.disconnect();
    }
    const admin = new Redis(REDIS);
    try {
      await assert.rejects(
        admin.call('AUTH', `${userPrefix}orders`, '-first-orders-redis'),
        /WRONGPASS/,
      );
      const rules = (await admin.call('ACL', 'GETUSER', `${userPrefix}orders`)) as unknown[];
      const keys = rules[rules.indexOf('keys') + 1];
      assert.equal(keys, '~orders:*');
    } finally {
      admin.disconnect();
    }
    assert.match(
      await rabbitmqctl([
        'authenticate_user',
        '--',
        `${userPrefix}payment`,
        '-second-payment-rabbitmq',
      ]),
      /Success/,
    );
    const topic = await rabbitmqctl(['list_user_topic_permissions', `${userPrefix}payment`]);
    assert.ok(topic.includes(access.rabbitmq.payment?.topic.write ?? '?'), topic);
  });

  it('removes exactly the users it created', async () => {
    await provisionServiceAccess({ ...options, passwords: fixed('third') });
    assert.deepEqual(
      (await redisUsers()).sort(),
      Object.keys(access.redis)
        .map((s) => `${userPrefix}${s}`)
        .sort(),
    );
    assert.deepEqual(
      await brokerUsers(),
      Object.keys(access.rabbitmq)
        .map((s) => `${userPrefix}${s}`)
        .sort(),
    );
    await removeServiceAccess(options);
    assert.deepEqual(await redisUsers(), []);
    assert.deepEqual(await brokerUsers(), []);
  });
});
