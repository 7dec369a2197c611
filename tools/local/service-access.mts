// Each service's own Redis and RabbitMQ user on the local Redis and RabbitMQ, as the chart's
// are (the rules of charts/junction-infra/files/service-access.json, derived from topology.yaml
// by tools/topology/access.mts): ACL SETUSER on Redis, rabbitmqctl on RabbitMQ (the management
// API is not enabled everywhere). Idempotent: provisioning again resets every user to exactly
// its rules. Used by `npm run provision` and `npm start` (provision.mts, start.mts) and the
// access tests.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { rabbitmqctl } from '@junction/testkit';
import { loadTopology, REPO_ROOT, type Topology } from '@junction/topology';
import { serviceAccess } from '@junction/topology/access';
import { brokerTopology } from '@junction/topology/broker';

export type Store = 'redis' | 'rabbitmq';

/** A password per service and store. */
export type Passwords = (service: string, store: Store) => string;

export interface ProvisionOptions {
  /** Redis as an administrator (the `default` user): where the users are created. */
  readonly redisUrl: string;
  /** RabbitMQ as an administrator; its vhost (the URL's path, `/` without one) gets the users. */
  readonly rabbitmqUrl: string;
  /** Put before each user name (the tests' `hacl-test-`); the service's name by default. */
  readonly userPrefix?: string;
  readonly passwords: Passwords;
  readonly topology?: Topology;
}

/** Each service's URLs as its own user: REDIS_URL and RABBITMQ_URL of its process. */
export type ServiceUrls = Readonly<
  Record<string, { readonly redisUrl?: string; readonly rabbitmqUrl?: string }>
>;

/** The vhost of an amqp:// URL (its path, percent-decoded; `/` without one). */
export function vhostOf(rabbitmqUrl: string): string {
  const path = new URL(rabbitmqUrl).pathname;
  return path.length > 1 ? decodeURIComponent(path.slice(1)) : '/';
}

/** `url` with another user and password. */
function asUser(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Creates (or resets) every service's users and returns each service's URLs as its own user.
 * The whole broker topology is declared first, as the administrator: a service may read only
 * its own queues, and RabbitMQ lets only a user that may read a queue with a dead-letter
 * exchange create it, so every other service's queues must exist before a service connects
 * (the chart's RabbitMQ imports them at boot for the same reason).
 */
export async function provisionServiceAccess(options: ProvisionOptions): Promise<ServiceUrls> {
  const topology = options.topology ?? loadTopology();
  const access = serviceAccess(topology);
  const prefix = options.userPrefix ?? '';
  if (!/^[A-Za-z0-9._-]*$/.test(prefix)) {
    throw new Error(
      `user prefix ${JSON.stringify(prefix)}: letters, digits, ".", "_" and "-" only`,
    );
  }
  const urls: Record<string, { redisUrl?: string; rabbitmqUrl?: string }> = {};
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const [service, rules] of Object.entries(access.redis)) {
      const user = `${prefix}${service}`;
      const password = options.passwords(service, 'redis');
      await redis.call('ACL', 'SETUSER', user, 'reset', 'on', `>${password}`, ...rules.split(' '));
      urls[service] = { ...urls[service], redisUrl: asUser(options.redisUrl, user, password) };
    }
  } finally {
    redis.disconnect();
  }
  const vhost = vhostOf(options.rabbitmqUrl);
  await declareTopology(options.rabbitmqUrl, topology);
  for (const [service, rights] of Object.entries(access.rabbitmq)) {
    const user = `${prefix}${service}`;
    const password = options.passwords(service, 'rabbitmq');
    await setBrokerUser(user, password);
    await rabbitmqctl([
      'set_permissions',
      '-p',
      vhost,
      user,
      rights.configure,
      rights.write,
      rights.read,
    ]);
    await rabbitmqctl([
      'set_topic_permissions',
      '-p',
      vhost,
      user,
      rights.topic.exchange,
      rights.topic.write,
      rights.topic.read,
    ]);
    urls[service] = { ...urls[service], rabbitmqUrl: asUser(options.rabbitmqUrl, user, password) };
  }
  return urls;
}

/** Deletes the users `provisionServiceAccess` created with `userPrefix` (absent ones are fine). */
export async function removeServiceAccess(
  options: Pick<ProvisionOptions, 'redisUrl' | 'userPrefix' | 'topology'>,
): Promise<void> {
  const access = serviceAccess(options.topology ?? loadTopology());
  const prefix = options.userPrefix ?? '';
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const users = Object.keys(access.redis).map((service) => `${prefix}${service}`);
    if (users.length > 0) await redis.call('ACL', 'DELUSER', ...users);
  } finally {
    redis.disconnect();
  }
  for (const service of Object.keys(access.rabbitmq)) {
    await rabbitmqctl(['delete_user', `${prefix}${service}`]).catch(() => undefined);
  }
}

/** Creates the broker user, or sets its password when it exists already. */
async function setBrokerUser(user: string, password: string): Promise<void> {
  const users = await rabbitmqctl(['list_users', '--no-table-headers']);
  const exists = users.split('\n').some((line) => line.split('\t')[0] === user);
  // The password as a separate argument never reaches a shell; rabbitmqctl logs no password.
  // `--` ends the options: a base64url password may start with `-` (rabbitmqctl would read it as
  // options and refuse the command).
  const command = exists ? 'change_password' : 'add_user';
  await rabbitmqctl([command, '--', user, password]);
}

/**
 * The broker topology of topology.yaml, declared as the administrator (the services declare the
 * same on every connection, libs/messaging; here it runs before any of them may).
 */
async function declareTopology(rabbitmqUrl: string, topology: Topology): Promise<void> {
  const broker = brokerTopology(topology);
  const connection = await connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (const exchange of broker.exchanges) {
      await channel.assertExchange(exchange.name, exchange.type, { durable: true });
    }
    for (const queue of broker.queues) {
      await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments });
    }
    for (const binding of broker.bindings) {
      await channel.bindQueue(binding.queue, binding.exchange, binding.routingKey);
    }
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Random passwords, one per service and store. */
export function randomPasswords(): Passwords {
  const generated = new Map<string, string>();
  return (service, store) => {
    const key = `${service}/${store}`;
    const password = generated.get(key) ?? randomBytes(24).toString('base64url');
    generated.set(key, password);
    return password;
  };
}

/**
 * The local run's passwords: generated once into .local/service-passwords.json (git-ignored,
 * readable by its owner only), so `npm start` and a later `npm run provision` agree.
 */
export function localPasswords(): Passwords {
  const file = join(REPO_ROOT, '.local', 'service-passwords.json');
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  return (service, store) => {
    const key = `${service}/${store}`;
    let password = stored[key];
    if (password === undefined) {
      password = randomBytes(24).toString('base64url');
      stored[key] = password;
      mkdirSync(join(REPO_ROOT, '.local'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    }
    return password;
  };
}
