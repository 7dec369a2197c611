import { type ExecutionContext } from '@nestjs/common';
import pino from 'pino';
import { PlatformConfig, type PlatformEnv, platformEnv } from '../config/env';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { AppLogger } from '../logging/app-logger';
import { TestRedis } from '../testing';
import { FaultAdminController, FaultAdminGuard } from './fault-admin.controller';
import { FAULT_KEY } from './fault-settings';
import { InjectFault } from './inject-fault.decorator';

/** PlatformConfig's constructor is protected; a service's config class makes it public. */
class ExampleConfig extends PlatformConfig {
  readonly httpPort = 0;
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- widens `protected`
  constructor(e: PlatformEnv) {
    super(e);
  }
}

/** The operations the admin endpoint accepts are those some `@InjectFault` names. */
export class ChargingAdapter {
  @InjectFault('charge')
  charge(): Promise<void> {
    return Promise.resolve();
  }
}

const TOKEN = 'a-long-enough-operator-token-for-tests-0123';
const config = (env: Record<string, string>): PlatformConfig =>
  new ExampleConfig(platformEnv.parse(env));
const ON = { FAULT_INJECTION: 'true', FAULT_ADMIN_TOKEN: TOKEN };

function requestWith(authorization?: string): ExecutionContext {
  const request = { headers: authorization === undefined ? {} : { authorization } };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

const refusal = (guard: FaultAdminGuard, authorization?: string): unknown => {
  try {
    guard.canActivate(requestWith(authorization));
    return undefined;
  } catch (error) {
    return error;
  }
};

describe(FaultAdminGuard.name, () => {
  it('is off (404) without FAULT_INJECTION, or without a token', () => {
    expect(refusal(new FaultAdminGuard(config({})), `Bearer ${TOKEN}`)).toMatchObject({
      code: 'not_found',
    });
    expect(
      refusal(new FaultAdminGuard(config({ FAULT_ADMIN_TOKEN: TOKEN })), `Bearer ${TOKEN}`),
    ).toMatchObject({ code: 'not_found' });
    expect(
      refusal(new FaultAdminGuard(config({ FAULT_INJECTION: 'true' })), `Bearer ${TOKEN}`),
    ).toMatchObject({ code: 'not_found' });
  });

  it('admits the operator token only (401 otherwise)', () => {
    const guard = new FaultAdminGuard(config(ON));
    expect(guard.canActivate(requestWith(`Bearer ${TOKEN}`))).toBe(true);
    for (const wrong of [undefined, TOKEN, `Bearer ${TOKEN}x`, 'Bearer short', `Basic ${TOKEN}`])
      expect(refusal(guard, wrong)).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a token shorter than 32 characters at start', () => {
    expect(platformEnv.safeParse({ FAULT_ADMIN_TOKEN: 'short' }).success).toBe(false);
  });
});

describe(FaultAdminController.name, () => {
  let store: TestRedis;
  let admin: FaultAdminController;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'fault-admin' });
    admin = new FaultAdminController(
      store.redis,
      config({ ...ON, FAULT_LATENCY_MS: '5' }),
      new ServiceIdentity('payment'),
      new AppLogger(pino({ level: 'silent' })),
    );
  });
  afterEach(async () => {
    await store.cleanup();
  });
  afterAll(async () => {
    await store.close();
  });

  it('writes the settings the injectors read, and reports them', async () => {
    await admin.set({ latencyMs: 300 });
    const report = await admin.set({ operation: 'charge', errorRate: 0.5 });
    expect(await store.redis.hgetall(FAULT_KEY)).toEqual({
      latency_ms: '300',
      'charge.error_rate': '0.5',
    });
    expect(report).toMatchObject({
      service: 'payment',
      defaults: { latencyMs: 5, errorRate: 0 },
      runtime: { latency_ms: '300', 'charge.error_rate': '0.5' },
    });
    expect(report.operations).toContain('charge');
  });

  it('clears one operation or all', async () => {
    await admin.set({ latencyMs: 300 });
    await admin.set({ operation: 'charge', latencyMs: 10, errorRate: 1 });
    expect((await admin.clear('charge')).runtime).toEqual({ latency_ms: '300' });
    expect((await admin.clear(undefined)).runtime).toEqual({});
  });

  it('answers invalid_argument for an unknown operation, a bad value or nothing to set', async () => {
    for (const body of [
      { operation: 'teleport', latencyMs: 1 },
      { latencyMs: -1 },
      { errorRate: 2 },
      { latencyMs: 1.5 },
      {},
      { latencyMs: 1, extra: true },
    ]) {
      await expect(admin.set(body)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await expect(admin.clear('teleport')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await store.redis.exists(FAULT_KEY)).toBe(0);
  });
});
