import { Injectable, Module, SetMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import pino from 'pino';
import { PlatformConfig, type PlatformEnv, platformEnv } from '../config/env';
import { DomainError } from '../errors/domain-error';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { AppLogger } from '../logging/app-logger';
import { TestRedis } from '../testing';
import { FaultInjector } from './fault-injector';
import { InjectFault } from './inject-fault.decorator';
import { SharedFaultInjector } from './shared-fault-injector';

/** PlatformConfig's constructor is protected; a service's config class makes it public. */
class ExampleConfig extends PlatformConfig {
  readonly httpPort = 0;
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- widens `protected`
  constructor(e: PlatformEnv) {
    super(e);
  }
}

/** An adapter with a faulted method, as a gRPC handler or a consumer would be. */
@Injectable()
class ChargeHandler {
  readonly charged: number[] = [];

  @SetMetadata('route', 'outer')
  @InjectFault('charge')
  @SetMetadata('pattern', 'inner')
  async charge(amountCents: number): Promise<string> {
    this.charged.push(amountCents);
    return Promise.resolve(`charged ${String(amountCents)}`);
  }
}

describe(InjectFault.name, () => {
  let store: TestRedis;
  const closing: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'inject-fault' });
  });
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
    await store.cleanup();
  });
  afterAll(async () => {
    await store.close();
  });

  /** The handler as a service's module builds it, with the shared injector and this env. */
  async function handlerWith(env: Record<string, string>): Promise<ChargeHandler> {
    @Module({
      providers: [
        ChargeHandler,
        { provide: FaultInjector, useClass: SharedFaultInjector },
        { provide: Redis, useValue: store.redis },
        {
          provide: PlatformConfig,
          useValue: new ExampleConfig(platformEnv.parse({ FAULT_INJECTION: 'true', ...env })),
        },
        { provide: ServiceIdentity, useValue: new ServiceIdentity('payment') },
        { provide: AppLogger, useValue: new AppLogger(pino({ level: 'silent' })) },
      ],
    })
    class ExampleModule {}
    const app = await NestFactory.createApplicationContext(ExampleModule, { logger: false });
    closing.push(() => app.close());
    return app.get(ChargeHandler);
  }

  async function elapsed(work: () => Promise<unknown>): Promise<number> {
    const start = performance.now();
    await work();
    return performance.now() - start;
  }

  describe('on a method of a Nest-built adapter', () => {
    it('fails the call with unavailable before the method runs, at FAULT_ERROR_RATE=1', async () => {
      const handler = await handlerWith({ FAULT_ERROR_RATE: '1' });
      await expect(handler.charge(100)).rejects.toEqual(
        new DomainError('unavailable', 'payment charge unavailable (injected fault)'),
      );
      expect(handler.charged).toEqual([]);
    });

    it('delays the call by FAULT_LATENCY_MS, then runs the method', async () => {
      const handler = await handlerWith({ FAULT_LATENCY_MS: '60' });
      let outcome: unknown;
      const took = await elapsed(async () => (outcome = await handler.charge(100)));
      expect(took).toBeGreaterThanOrEqual(59);
      expect(outcome).toBe('charged 100');
      expect(handler.charged).toEqual([100]);
    });

    it('changes nothing when no fault is configured', async () => {
      const handler = await handlerWith({});
      let outcome: unknown;
      const took = await elapsed(async () => (outcome = await handler.charge(7)));
      expect(took).toBeLessThan(20);
      expect(outcome).toBe('charged 7');
    });

    it('keeps the name and the metadata of the method it wraps', async () => {
      const handler = await handlerWith({});
      expect(handler.charge.name).toBe('charge');
      expect(Reflect.getMetadata('route', handler.charge)).toBe('outer');
      expect(Reflect.getMetadata('pattern', handler.charge)).toBe('inner');
    });
  });

  describe('on an adapter built without Nest', () => {
    it('runs the method as written (there is no injector to ask)', async () => {
      const handler = new ChargeHandler();
      await expect(handler.charge(5)).resolves.toBe('charged 5');
      expect(handler.charged).toEqual([5]);
    });
  });
});
