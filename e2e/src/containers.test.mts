// The real images, end to end: the five service images built from the Dockerfile with BuildKit
// (tools/docker/build-images.mts, cached when nothing changed), run the way the chart runs them
// (uid 10001, read-only root, no capabilities, no-new-privileges, /tmp as tmpfs, the chart's
// limits and env) on the host network against the machine's RabbitMQ and Redis, pass a checkout
// on both paths, and stop cleanly within the chart's grace period. The storefront's image the same
// way: built from its Dockerfile target, run as the chart runs it, it serves /shop/ with its
// security headers and answers /readyz; its files are root-owned, read-only, without setuid bits.
// Without a Docker engine this fails under CI=true and is skipped elsewhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setStock as setStockIn } from '@junction/testkit';
import { Redis } from 'ioredis';
import { buildImages, imageName } from '../../tools/docker/build-images.mts';
import { dockerOutput } from '../../tools/docker/docker.mts';
import { devFaultAdminToken, devSigningKey } from '../../tools/local/topology.mts';
import { Api, type Session } from './support/api.mts';
import {
  declinedBlockingCheckoutRestoresStock,
  queuedCheckoutConfirms,
} from './support/checkout-flows.mts';
import {
  chartedServices,
  containerLogs,
  dockerMissing,
  removeContainer,
  runContainer,
  runFlags,
  stopContainer,
  waitReady,
  type Machine,
  type RunningContainer,
} from './support/containers.mts';
import {
  E2E_PLACE,
  PORT_OFFSET,
  REDIS_URL,
  removeInfrastructure,
  resetInfrastructure,
} from './support/environment.mts';
import { REFERENCE_SERVICES } from './support/topology.mts';

const missing = dockerMissing();
const PREFIX = `junction-e2e-${String(PORT_OFFSET)}`;
/** A cold build (base image + images) takes minutes on two cores; a warm one, seconds. */
const BUILD_TIMEOUT_MS = 30 * 60_000;

/** This run's stand-ins for the chart's Secrets and addresses. */
const thisMachine = (): Machine => ({
  ...E2E_PLACE,
  jwtPrivateKey: devSigningKey(),
  faultAdminToken: devFaultAdminToken(),
});

/** The hardening flags the chart's pod spec gives every container. */
const HARDENED = [
  '--user 10001:10001',
  '--read-only',
  '--cap-drop ALL',
  '--security-opt no-new-privileges',
  '--tmpfs /tmp',
  '--network host',
];

if (missing && process.env.CI === 'true') {
  describe('service containers', () => {
    it('needs a Docker engine in CI', () => {
      assert.fail(`${missing}: CI must run the images (.ci/run installs and starts dockerd)`);
    });
  });
}

describe('service containers', { skip: missing }, () => {
  const machine = thisMachine();
  const containers = new Map<string, RunningContainer>();
  let api: Api;
  let redis: Redis;
  let alice: Session;

  const setStock = (sku: string, units: number): Promise<void> => setStockIn(redis, sku, units);

  before(
    async () => {
      const log: string[] = [];
      await buildImages({
        only: [...REFERENCE_SERVICES, 'load'],
        onLine: (line) => log.push(line),
      }).catch((error: unknown) => {
        throw new Error(`building the images failed:\n${log.slice(-80).join('\n')}`, {
          cause: error,
        });
      });
      await resetInfrastructure();
      redis = new Redis(REDIS_URL);
      const services = chartedServices(REFERENCE_SERVICES);
      for (const service of services) {
        containers.set(service.name, await runContainer(service, machine, PREFIX));
      }
      await Promise.all([...containers.values()].map((container) => waitReady(container)));
      api = new Api({
        url: (service, path) => {
          const container = containers.get(service);
          if (!container) throw new Error(`no container for ${service}`);
          return container.url(path);
        },
      });
      alice = await api.newSession();
    },
    { timeout: BUILD_TIMEOUT_MS },
  );

  after(async () => {
    redis.disconnect();
    for (const service of REFERENCE_SERVICES) await removeContainer(`${PREFIX}-${service}`);
    await removeInfrastructure();
  });

  it('builds the load generator image too, and it runs as 10001 on a read-only root', () => {
    const help = dockerOutput([
      'run',
      '--rm',
      '--network',
      'host',
      '--user',
      '10001:10001',
      '--read-only',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      imageName('load'),
      'node',
      'tools/bench/load.mts',
      '--help',
    ]);
    assert.match(help, /^Usage: npm run load -- --target <url>/);
  });

  it('runs each image as the chart does: uid 10001, read-only, no capabilities, host network', () => {
    for (const { service } of containers.values()) {
      assert.equal(service.repository, imageName(service.name).replace(/:.*$/, ''));
      const flags = runFlags(service).join(' ');
      for (const flag of HARDENED) {
        assert.ok(flags.includes(flag), `${service.name}: ${flag} missing from ${flags}`);
      }
    }
  });

  it('confirms a blocking checkout with 201 and takes the stock', async () => {
    await setStock('JNC-MUG', 10);
    const reply = await api.placeOrder(alice, { sku: 'JNC-MUG', quantity: 2, mode: 'blocking' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.status, 'confirmed');
    assert.equal(await api.available('JNC-MUG'), 8);
  });

  it('answers a queued checkout with 202 and streams it to confirmed over SSE', async () => {
    await queuedCheckoutConfirms(api, alice, setStock);
  });

  it('rejects a declined card and restores the stock', async () => {
    await declinedBlockingCheckoutRestoresStock(api, alice, setStock);
  });

  it('rejects an order beyond the stock as out_of_stock', async () => {
    await setStock('JNC-LIMITED', 1);
    const reply = await api.placeOrder(alice, { sku: 'JNC-LIMITED', quantity: 2, mode: 'queued' });
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    const order = await api.settled(alice, reply.body.id);
    assert.equal(order.status, 'rejected');
    assert.equal(order.reason, 'out_of_stock');
    assert.equal(await api.available('JNC-LIMITED'), 1);
  });

  it("stops every container within the chart's grace period with exit code 0", async () => {
    const codes = Object.fromEntries(
      await Promise.all(
        [...containers.values()].map(
          async (container) => [container.service.name, await stopContainer(container)] as const,
        ),
      ),
    );
    const failed = Object.keys(codes).filter((name) => codes[name] !== 0);
    const logs = await Promise.all(
      failed.map(async (name) => `${name}:\n${await containerLogs(`${PREFIX}-${name}`)}`),
    );
    assert.deepEqual(
      codes,
      Object.fromEntries(REFERENCE_SERVICES.map((name) => [name, 0])),
      logs.join('\n'),
    );
  });
});

describe('the storefront container', { skip: missing }, () => {
  const NAME = 'storefront';
  let container: RunningContainer;

  /** A command in the image, run with the chart's flags (runFlags) but for the command. */
  const inImage = (command: string[]): string =>
    dockerOutput([
      'run',
      '--rm',
      ...runFlags(container.service),
      '--entrypoint',
      command[0] ?? '',
      imageName(NAME),
      ...command.slice(1),
    ]);

  before(
    async () => {
      const log: string[] = [];
      await buildImages({ only: [NAME], onLine: (line) => log.push(line) }).catch(
        (error: unknown) => {
          throw new Error(
            `building the storefront image failed (it needs web/storefront's build target):\n${log.slice(-80).join('\n')}`,
            { cause: error },
          );
        },
      );
      const [service] = chartedServices([NAME]);
      if (!service) throw new Error('the chart renders no storefront');
      container = await runContainer(service, thisMachine(), PREFIX);
      await waitReady(container);
    },
    { timeout: BUILD_TIMEOUT_MS },
  );

  after(async () => {
    await removeContainer(`${PREFIX}-${NAME}`);
  });

  it('runs as the chart does: uid 10001, read-only, no capabilities, host network, loopback', () => {
    assert.equal(container.service.repository, imageName(NAME).replace(/:.*$/, ''));
    const flags = runFlags(container.service).join(' ');
    for (const flag of HARDENED) assert.ok(flags.includes(flag), `${flag} missing from ${flags}`);
    assert.equal(container.env.HOST, '127.0.0.1');
    assert.equal(container.env.PORT, String(3006 + PORT_OFFSET));
  });

  it('is the image the Dockerfile says: non-root, its server as the command, its title', () => {
    const [image] = JSON.parse(dockerOutput(['image', 'inspect', imageName(NAME)])) as [
      {
        Config: { User: string; Cmd: string[]; WorkingDir: string; Labels: Record<string, string> };
      },
    ];
    assert.equal(image.Config.User, '10001:10001');
    assert.deepEqual(image.Config.Cmd, ['node', 'dist/server/main.js']);
    assert.equal(image.Config.WorkingDir, '/app');
    assert.equal(image.Config.Labels['org.opencontainers.image.title'], 'junction-storefront');
  });

  it("ships root-owned files its user cannot change, none setuid or setgid, and only the server's dependencies", () => {
    assert.equal(inImage(['find', '/app', '!', '-user', 'root', '-print']), '');
    assert.equal(inImage(['find', '/app', '-perm', '/6000', '-print']), '');
    assert.equal(inImage(['find', '/app', '-writable', '-print']), '');
    assert.ok(inImage(['ls', '/app/dist/public']).split('\n').includes('index.html'));
    const manifest = JSON.parse(inImage(['cat', '/app/package.json'])) as {
      dependencies: Record<string, string>;
    };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), [
      '@fastify/rate-limit',
      '@fastify/static',
      'fastify',
    ]);
  });

  it('serves /shop/ with 200 and its Content-Security-Policy, and answers /readyz', async () => {
    const page = await fetch(container.url('/shop/'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(/script-src[^;]*/.exec(csp)?.[0] ?? '', /'unsafe-inline'/);
    assert.match(csp, /connect-src 'self'/);
    const ready = await fetch(container.url('/readyz'));
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ok' });
    const bare = await fetch(container.url('/shop'), { redirect: 'manual' });
    assert.equal(bare.status, 308);
    assert.equal(
      new URL(bare.headers.get('location') ?? '', container.url('/')).pathname,
      '/shop/',
    );
  });

  it("stops within the chart's grace period with exit code 0", async () => {
    const code = await stopContainer(container);
    assert.equal(code, 0, await containerLogs(container.name));
  });
});
