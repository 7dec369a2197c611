import pino from 'pino';
import { PlatformConfig, type PlatformEnv, platformEnv } from '../config/env';
import { DomainError } from '../errors/domain-error';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { AppLogger } from '../logging/app-logger';
import { TestRedis } from '../testing';
import { SharedFaultInjector } from './shared-fault-injector';
import { FAULT_KEY } from './fault-settings';

/** PlatformConfig's constructor is protected; a service's config class makes it public. */
class ExampleConfig extends PlatformConfig {
  readonly httpPort = 0;
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- widens `protected`
  constructor(e: PlatformEnv) {
    super(e);
  }
}

function config(env: Record<string, string> = {}): PlatformConfig {
  return new ExampleConfig(platformEnv.parse(env));
}

describe(SharedFaultInjector.name, () => {
  let store: TestRedis;
  const started: SharedFaultInjector[] = [];

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'fault-injector' });
  });
  afterEach(async () => {
    for (const injector of started.splice(0)) injector.beforeApplicationShutdown();
    await store.cleanup();
  });
  afterAll(async () => {
    await store.close();
  });

  function injector(env: Record<string, string> = {}): SharedFaultInjector {
    const created = new SharedFaultInjector(
      store.redis,
      config({ FAULT_INJECTION: 'true', ...env }),
      new ServiceIdentity('payment'),
      new AppLogger(pino({ level: 'silent' })),
    );
    started.push(created);
    created.onModuleInit();
    return created;
  }

  async function elapsed(work: () => Promise<unknown>): Promise<number> {
    const start = performance.now();
    await work();
    return performance.now() - start;
  }

  describe('inject', () => {
    it('injects nothing unless FAULT_INJECTION is true, whatever the env and Redis say', async () => {
      const off = new SharedFaultInjector(
        store.redis,
        config({ FAULT_ERROR_RATE: '1', FAULT_LATENCY_MS: '500' }),
        new ServiceIdentity('payment'),
        new AppLogger(pino({ level: 'silent' })),
      );
      started.push(off);
      await store.redis.hset(FAULT_KEY, { error_rate: '1' });
      off.onModuleInit();
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await elapsed(() => off.inject('charge'))).toBeLessThan(100);
    });

    it('fails every call with unavailable at FAULT_ERROR_RATE=1', async () => {
      const faults = injector({ FAULT_ERROR_RATE: '1' });
      await expect(faults.inject('charge')).rejects.toEqual(
        new DomainError('unavailable', 'payment charge unavailable (injected fault)'),
      );
    });

    it('adds FAULT_LATENCY_MS to every call', async () => {
      const faults = injector({ FAULT_LATENCY_MS: '60' });
      expect(await elapsed(() => faults.inject('charge'))).toBeGreaterThanOrEqual(59);
    });

    it('picks up settings written to Redis at runtime, without a restart', async () => {
      const faults = injector();
      expect(await elapsed(() => faults.inject('refund'))).toBeLessThan(20);
      await store.redis.hset(FAULT_KEY, { 'refund.error_rate': '1' });
      const deadline = Date.now() + 3_000;
      let outcome: unknown;
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        outcome = await faults.inject('refund').catch((error: unknown) => error);
      } while (outcome === undefined && Date.now() < deadline);
      expect(outcome).toBeInstanceOf(DomainError);
      await expect(faults.inject('charge')).resolves.toBeUndefined();
    });
  });
});
