// The real images, end to end: the five service images built from the Dockerfile with BuildKit
// (tools/docker/build-images.mts, cached when nothing changed), run the way the chart runs them
// (uid 10001, read-only root, no capabilities, no-new-privileges, /tmp as tmpfs, the chart's
// limits and env) on the host network against the machine's RabbitMQ and Redis, pass a checkout
// on both paths, and stop cleanly within the chart's grace period.
// Without a Docker engine this fails under CI=true and is skipped elsewhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setStock as setStockIn } from '@junction/testkit';
import { Redis } from 'ioredis';
import { buildImages, imageName } from '../../tools/docker/build-images.mts';
import { dockerOutput } from '../../tools/docker/docker.mts';
import { devSigningKey } from '../../tools/local/topology.mts';
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

if (missing && process.env.CI === 'true') {
  describe('service containers', () => {
    it('needs a Docker engine in CI', () => {
      assert.fail(`${missing}: CI must run the images (.ci/run installs and starts dockerd)`);
    });
  });
}

describe('service containers', { skip: missing }, () => {
  const machine: Machine = {
    ...E2E_PLACE,
    jwtPrivateKey: devSigningKey(),
  };
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
      for (const flag of [
        '--user 10001:10001',
        '--read-only',
        '--cap-drop ALL',
        '--security-opt no-new-privileges',
        '--tmpfs /tmp',
        '--network host',
      ]) {
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
