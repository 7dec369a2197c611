// The chart's trust boundaries: one Redis ACL user and one RabbitMQ user per service, with what
// each may do from files/service-access.json (generated from topology.yaml), passwords generated
// into Secrets and never in plain values; the rendered ACL file, loaded by a real redis-server,
// confining each service to its own keys; and the rendered definitions, imported by the
// machine's RabbitMQ.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serviceAccess, type ServiceAccess } from '@junction/topology/access';
import { loadTopology } from '@junction/topology';
import { freePort, rabbitmqctl } from '@junction/testkit';
import { render } from './charts.mts';
import { readInfraFile, runTool, start, type Running } from './infra-files.mts';
import { ofKind, workloads } from './objects.mts';
import { type KubeObject, repoPath } from './repo.mts';

type Secret = { data?: Record<string, string>; stringData?: Record<string, string> };
const secrets = () => ofKind<Secret>(render('default').all, 'Secret');
const secret = (name: string): KubeObject & Secret => {
  const found = secrets().find((s) => s.metadata.name === name);
  assert.ok(found, `Secret ${name} not rendered`);
  return found;
};
const decoded = (s: Secret, key: string): string => {
  const plain = s.stringData?.[key];
  if (plain !== undefined) return plain;
  const value = s.data?.[key];
  assert.ok(value !== undefined, `no key ${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const access = JSON.parse(readInfraFile('service-access.json')) as ServiceAccess;
const topology = loadTopology();
const services = Object.values(topology.services);

/** A service's generated credentials, from its Secret. */
function credentials(service: string): {
  redis?: string;
  rabbitmq?: string;
  s: ReturnType<typeof secret>;
} {
  const s = secret(`${service}-credentials`);
  const has = (key: string) => s.data?.[key] !== undefined;
  return {
    s,
    ...(has('redis-password') ? { redis: decoded(s, 'redis-password') } : {}),
    ...(has('rabbitmq-password') ? { rabbitmq: decoded(s, 'rabbitmq-password') } : {}),
  };
}

describe('service access in the chart', () => {
  it('is what topology.yaml gives (files/service-access.json is generated)', () => {
    assert.deepEqual(access, serviceAccess(topology));
  });

  it('gives each service a Secret with its own Redis and RabbitMQ user, per the stores it uses, kept on uninstall', () => {
    for (const s of services) {
      const c = credentials(s.name);
      assert.equal(
        (c.s.metadata as { annotations?: Record<string, string> }).annotations?.[
          'helm.sh/resource-policy'
        ],
        'keep',
      );
      assert.equal(c.redis !== undefined, s.redis, `${s.name}: a Redis password iff it uses Redis`);
      assert.equal(
        c.rabbitmq !== undefined,
        s.rabbitmq,
        `${s.name}: a broker password iff it uses RabbitMQ`,
      );
      if (c.redis !== undefined) {
        const url = new URL(decoded(c.s, 'redis-url'));
        assert.deepEqual(
          [url.protocol, url.username, url.password, url.host],
          ['redis:', s.name, c.redis, 'redis.junction.svc.cluster.local:6379'],
        );
        assert.ok(c.redis.length >= 32);
      }
      if (c.rabbitmq !== undefined) {
        const url = new URL(decoded(c.s, 'rabbitmq-url'));
        assert.deepEqual(
          [url.protocol, url.username, url.password, url.host],
          ['amqp:', s.name, c.rabbitmq, 'rabbitmq.junction.svc.cluster.local:5672'],
        );
        assert.ok(c.rabbitmq.length >= 32);
        assert.notEqual(c.rabbitmq, c.redis, 'one password per store');
      }
    }
  });

  it("renders Redis's ACL file: default with the operator's password, each service confined to its prefix, only hashes", () => {
    const file = decoded(secret('redis-acl'), 'users.acl');
    const admin = decoded(secret('redis-credentials'), 'password');
    const expected = [
      `user default on #${sha256(admin)} ~* &* +@all`,
      ...Object.keys(access.redis)
        .sort()
        .map(
          (name) =>
            `user ${name} on #${sha256(credentials(name).redis ?? '')} ${access.redis[name] ?? ''}`,
        ),
    ];
    assert.deepEqual(file.trimEnd().split('\n'), expected);
    for (const s of services) {
      const password = credentials(s.name).redis;
      if (password) assert.ok(!file.includes(password), `${s.name}'s password is in the ACL file`);
    }
    const redis = workloads(render('default').infra).find((w) => w.id === 'StatefulSet/redis');
    assert.ok(redis);
    const container = redis.containers[0]!;
    const aclFile = container.command?.[container.command.indexOf('--aclfile') + 1] ?? '';
    const mount = container.volumeMounts?.find((m) => aclFile.startsWith(`${m.mountPath}/`));
    assert.ok(mount, `the ACL file ${aclFile} is on no mount`);
    const volume = redis.pod.volumes?.find((v) => v.name === mount.name);
    assert.equal(volume?.secret?.secretName, 'redis-acl');
    assert.equal(
      container.env?.find((e) => e.name === 'REDISCLI_AUTH')?.valueFrom?.secretKeyRef?.name,
      'redis-credentials',
      'redis-cli in the pod (the readiness probe) signs in as default',
    );
  });

  it('imports a RabbitMQ user per service with its permissions and topic permissions', () => {
    const definitions = JSON.parse(decoded(secret('rabbitmq-definitions'), 'definitions.json')) as {
      users: { name: string; password: string; tags: string[] }[];
      permissions: {
        user: string;
        vhost: string;
        configure: string;
        write: string;
        read: string;
      }[];
      topic_permissions: {
        user: string;
        vhost: string;
        exchange: string;
        write: string;
        read: string;
      }[];
    };
    const names = Object.keys(access.rabbitmq).sort();
    const users = definitions.users.filter((u) => names.includes(u.name));
    assert.deepEqual(
      users.map((u) => [u.name, u.password, u.tags]),
      names.map((name) => [name, credentials(name).rabbitmq, []]),
      'no service user is an administrator',
    );
    for (const name of names) {
      const rights = access.rabbitmq[name]!;
      assert.deepEqual(
        definitions.permissions.filter((p) => p.user === name),
        [
          {
            user: name,
            vhost: '/',
            configure: rights.configure,
            write: rights.write,
            read: rights.read,
          },
        ],
      );
      assert.deepEqual(
        definitions.topic_permissions.filter((p) => p.user === name),
        [{ user: name, vhost: '/', ...rights.topic }],
      );
    }
  });

  it('the services read REDIS_URL and RABBITMQ_URL from their own Secret, and no password is in plain values', () => {
    const rendering = render('default');
    const deployments = workloads(rendering.app);
    for (const s of services) {
      const w = deployments.find((d) => d.object.metadata.name === s.name);
      assert.ok(w, s.name);
      const env = w.containers[0]!.env ?? [];
      for (const [variable, key, used] of [
        ['REDIS_URL', 'redis-url', s.redis],
        ['RABBITMQ_URL', 'rabbitmq-url', s.rabbitmq],
      ] as const) {
        const ref = env.find((e) => e.name === variable)?.valueFrom?.secretKeyRef;
        assert.deepEqual(
          ref && [ref.name, ref.key],
          used ? [`${s.name}-credentials`, key] : undefined,
          `${s.name} ${variable}`,
        );
      }
    }
    const passwords = [
      ...services.flatMap((s) => {
        const c = credentials(s.name);
        return [c.redis, c.rabbitmq].filter((p): p is string => p !== undefined);
      }),
      decoded(secret('redis-credentials'), 'password'),
      decoded(secret('rabbitmq-credentials'), 'password'),
    ];
    const plain = [
      ...ofKind<{ data?: Record<string, string> }>(rendering.all, 'ConfigMap').map((c) =>
        JSON.stringify(c.data ?? {}),
      ),
      ...workloads(rendering.all).flatMap((w) =>
        w.containers.flatMap((c) => [
          JSON.stringify(c.env ?? []),
          JSON.stringify(c.command ?? []),
          JSON.stringify(c.args ?? []),
        ]),
      ),
      readFileSync(repoPath('charts/junction/values.yaml'), 'utf8'),
      readFileSync(repoPath('charts/junction-infra/values.yaml'), 'utf8'),
    ].join('\n');
    for (const password of passwords)
      assert.ok(!plain.includes(password), 'a generated password is in plain values');
    assert.doesNotMatch(
      plain,
      /(redis|amqp)s?:\/\/[^\s"@/]+:[^\s"@/]+@/,
      'a URL with credentials in plain values',
    );
  });
});

describe("the chart's Redis ACL file, loaded by redis-server", () => {
  let dir: string;
  let port: number;
  let server: Running;
  const cli = (user: string, password: string, ...command: string[]) =>
    runTool(
      'redis-cli',
      ['-p', String(port), '--user', user, '--pass', password, '--no-auth-warning', ...command],
      {
        timeoutMs: 10_000,
      },
    ).stdout.trim();

  before(async () => {
    try {
      runTool('redis-server', ['--version']);
    } catch (error) {
      throw new Error(
        `this check runs redis-server (the Redis package's server binary, next to the Redis the tests use): ${String(error)}`,
      );
    }
    dir = mkdtempSync(path.join(tmpdir(), 'junction-acl-'));
    writeFileSync(path.join(dir, 'users.acl'), decoded(secret('redis-acl'), 'users.acl'));
    port = await freePort();
    server = start(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--aclfile',
        path.join(dir, 'users.acl'),
      ],
      process.env,
    );
    const admin = decoded(secret('redis-credentials'), 'password');
    const deadline = Date.now() + 10_000;
    while (cli('default', admin, 'PING') !== 'PONG') {
      assert.ok(Date.now() < deadline, `redis-server did not start: ${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets orders write its own keys and refuses payment's keys, the server's commands and a wrong password", () => {
    const orders = credentials('orders').redis ?? '';
    assert.equal(cli('orders', orders, 'SET', 'orders:order:1', 'x'), 'OK');
    assert.equal(cli('orders', orders, 'GET', 'orders:order:1'), 'x');
    assert.match(cli('orders', orders, 'GET', 'payment:payment:1'), /NOPERM/);
    assert.match(cli('orders', orders, 'SET', 'payment:payment:1', 'forged'), /NOPERM/);
    assert.match(cli('orders', orders, 'FLUSHALL'), /NOPERM/);
    assert.match(cli('orders', orders, 'PUBLISH', 'payment:status', 'x'), /NOPERM/);
    assert.match(cli('orders', 'not the password', 'PING'), /WRONGPASS|NOAUTH/);
    assert.match(cli('default', 'not the password', 'PING'), /WRONGPASS|NOAUTH/);
  });
});

describe("the chart's RabbitMQ definitions, imported by the machine's RabbitMQ", () => {
  // The service users under names of this run and in a vhost of its own (the broker is shared):
  // imported by `rabbitmqctl import_definitions`, the same import the chart's broker runs at boot.
  const run = randomBytes(4).toString('hex');
  const vhost = `junction-access-${run}`;
  const renamed = (name: string) => `test-access-${run}-${name}`;
  const names = Object.keys(access.rabbitmq).sort();
  let dir: string;

  before(async () => {
    const definitions = JSON.parse(
      decoded(secret('rabbitmq-definitions'), 'definitions.json'),
    ) as Record<string, Record<string, unknown>[]>;
    const inVhost = (items: Record<string, unknown>[] = []) => items.map((i) => ({ ...i, vhost }));
    const ofServices = (items: Record<string, unknown>[] = [], key: string) =>
      items
        .filter((i) => names.includes(String(i[key])))
        .map((i) => ({ ...i, [key]: renamed(String(i[key])) }));
    const imported = {
      vhosts: [{ name: vhost }],
      users: ofServices(definitions.users, 'name'),
      permissions: inVhost(ofServices(definitions.permissions, 'user')),
      topic_permissions: inVhost(ofServices(definitions.topic_permissions, 'user')),
      exchanges: inVhost(definitions.exchanges),
      queues: inVhost(definitions.queues),
      bindings: inVhost(definitions.bindings),
    };
    dir = mkdtempSync(path.join(tmpdir(), 'junction-definitions-'));
    const file = path.join(dir, 'definitions.json');
    writeFileSync(file, JSON.stringify(imported), { mode: 0o644 });
    chmodSync(dir, 0o755);
    await rabbitmqctl(['import_definitions', file]);
  });

  after(async () => {
    for (const name of names)
      await rabbitmqctl(['delete_user', renamed(name)]).catch(() => undefined);
    await rabbitmqctl(['delete_vhost', vhost]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates each service user with its password from the Secret, its permissions and topic permissions', async () => {
    for (const name of names) {
      const password = credentials(name).rabbitmq ?? '';
      assert.match(await rabbitmqctl(['authenticate_user', renamed(name), password]), /Success/);
      await assert.rejects(rabbitmqctl(['authenticate_user', renamed(name), 'not the password']));
    }
    const rows = (output: string) =>
      output
        .trim()
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([user]) => user?.startsWith(`test-access-${run}-`))
        .sort();
    assert.deepEqual(
      rows(await rabbitmqctl(['list_permissions', '-p', vhost, '--no-table-headers'])),
      names.map((name) => {
        const r = access.rabbitmq[name]!;
        return [renamed(name), r.configure, r.write, r.read];
      }),
    );
    assert.deepEqual(
      rows(await rabbitmqctl(['list_topic_permissions', '-p', vhost, '--no-table-headers'])),
      names.map((name) => {
        const t = access.rabbitmq[name]!.topic;
        return [renamed(name), t.exchange, t.write, t.read];
      }),
    );
  });
});
