// The foundation, as a person would check it: the topology boots from built output, every
// service is ready and healthy, config errors are one clear line, readiness tracks what the
// service itself needs (Redis) while /statusz reports the rest, and a SIGTERM stops everything
// with exit code 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, serviceEnv, waitUntilReady } from '../../tools/local/topology.mts';
import { E2E_PLACE, removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { grpcHealth, reflectedServices } from './support/grpc-health.mts';
import { REFERENCE_SERVICES, startE2eTopology, startQuietly } from './support/topology.mts';

const GRPC_SERVICES = {
  user: 'junction.user.v1.UserService',
  inventory: 'junction.inventory.v1.InventoryService',
  payment: 'junction.payment.v1.PaymentService',
} as const;

describe('local topology', () => {
  before(resetInfrastructure);
  after(removeInfrastructure);

  it('boots all five services from built output, ready and healthy, and stops them with exit 0', async () => {
    const topology = await startE2eTopology();
    try {
      for (const service of REFERENCE_SERVICES) {
        const response = await fetch(topology.url(service, '/readyz'));
        assert.equal(response.status, 200, `${service} /readyz`);
        const report = (await response.json()) as {
          status: string;
          checks: Record<string, { status: string }>;
        };
        assert.equal(report.status, 'ready');
        assert.ok(Object.values(report.checks).every((check) => check.status === 'up'));
        assert.equal((await fetch(topology.url(service, '/healthz'))).status, 200);
      }
      for (const [service, name] of Object.entries(GRPC_SERVICES)) {
        assert.equal(
          await grpcHealth(topology.grpcTarget(service)),
          'SERVING',
          `${service} overall health`,
        );
        assert.equal(
          await grpcHealth(topology.grpcTarget(service), name),
          'SERVING',
          `${service} ${name}`,
        );
        const reflected = await reflectedServices(topology.grpcTarget(service));
        assert.ok(reflected.includes(name), `${service} reflects ${name}: ${reflected.join(', ')}`);
        assert.ok(reflected.includes('grpc.health.v1.Health'), `${service} reflects grpc health`);
      }
      const orders = (await (await fetch(topology.url('orders', '/readyz'))).json()) as {
        checks: object;
      };
      assert.deepEqual(Object.keys(orders.checks), ['redis'], 'readiness is never about peers');
      const observed: Record<string, string[]> = {
        auth: ['redis', 'user'],
        user: ['jwks', 'redis'],
        orders: ['inventory', 'jwks', 'payment', 'rabbitmq', 'redis'],
        payment: ['jwks', 'rabbitmq', 'redis'],
        inventory: ['rabbitmq', 'redis'],
      };
      for (const [service, dependencies] of Object.entries(observed)) {
        const response = await fetch(topology.url(service, '/statusz'));
        assert.equal(response.status, 200, `${service} /statusz`);
        const status = (await response.json()) as {
          service: string;
          dependencies: Record<string, { state: string }>;
        };
        assert.equal(status.service, service);
        assert.deepEqual(Object.keys(status.dependencies), dependencies, `${service} /statusz`);
        assert.equal(status.dependencies.redis?.state, 'up', `${service} sees Redis up`);
      }
    } finally {
      const codes = await topology.stop();
      assert.deepEqual(codes, { user: 0, inventory: 0, payment: 0, auth: 0, orders: 0 });
    }
  });
});

describe('npm start', () => {
  it('names the missing dependency and how to start it, instead of a stack trace', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'tools', 'local', 'start.mts')], {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: 'redis://127.0.0.1:1',
        RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 1);
    assert.match(output, /Redis is not reachable at redis:\/\/127\.0\.0\.1:1\./);
    assert.match(output, /redis-server --daemonize yes/);
    assert.match(output, /RabbitMQ is not reachable at 127\.0\.0\.1:2\./);
    assert.match(output, /rabbitmq-server -detached/);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });
});

describe('configuration', () => {
  it('stops a service with a broken value with one line naming the variable, not the value, and exit 78', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'services', 'inventory', 'dist', 'main.js')],
      {
        env: { PATH: process.env.PATH ?? '', HTTP_PORT: 'eighty' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 78);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0] ?? '', /^inventory: invalid configuration: HTTP_PORT: .*number/);
    assert.doesNotMatch(stderr, /eighty/);
  });

  it('names a missing required variable', async () => {
    const env = {
      ...serviceEnv('auth', E2E_PLACE),
      PATH: process.env.PATH ?? '',
    };
    delete (env as Record<string, string | undefined>).JWT_PRIVATE_KEY;
    const child = spawn(process.execPath, [join(ROOT, 'services', 'auth', 'dist', 'main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 78);
    assert.match(stderr, /^auth: invalid configuration: JWT_PRIVATE_KEY: missing\n$/);
  });
});

describe('readiness', () => {
  before(resetInfrastructure);
  after(removeInfrastructure);

  it('answers 503 naming Redis while Redis is unreachable, and stays alive', async () => {
    const service = startQuietly('inventory', { redisUrl: 'redis://127.0.0.1:1' });
    try {
      const url = `http://127.0.0.1:${String(service.ports.http)}`;
      let response: Response | undefined;
      for (let i = 0; i < 100 && response === undefined; i++) {
        response = await fetch(`${url}/readyz`).catch(() => undefined);
        if (!response) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(response, 'inventory never answered');
      assert.equal(response.status, 503);
      const report = (await response.json()) as {
        checks: Record<string, { status: string; error?: string }>;
      };
      assert.equal(report.checks.redis?.status, 'down');
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      service.process.kill('SIGTERM');
      assert.equal(await service.exited, 0);
    }
  });

  it('is ready without RabbitMQ, and reports the broker reconnecting on /statusz', async () => {
    const service = startQuietly('payment', { rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:1' });
    try {
      await waitUntilReady(service, 30_000);
      type Broker = { state: string; connection?: string; lastFailure?: { error: string } };
      const observe = async (): Promise<Broker | undefined> => {
        const response = await fetch(`http://127.0.0.1:${String(service.ports.http)}/statusz`);
        const status = (await response.json()) as { dependencies: Record<string, Broker> };
        return status.dependencies.rabbitmq;
      };
      let broker = await observe();
      for (let i = 0; i < 50 && broker?.state === 'unknown'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        broker = await observe();
      }
      assert.equal(broker?.state, 'down', JSON.stringify(broker));
      assert.equal(broker.connection, 'reconnecting');
      assert.match(broker.lastFailure?.error ?? '', /ECONNREFUSED/);
    } finally {
      service.process.kill('SIGTERM');
      assert.equal(await service.exited, 0);
    }
  });
});
