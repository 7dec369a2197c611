import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { type Logger } from 'pino';
import { PlatformConfig } from '../config/env';
import { DomainError } from '../errors/domain-error';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { AppLogger } from '../logging/app-logger';
import { FaultInjector } from './fault-injector';
import { FAULT_KEY, faultFor } from './fault-settings';

/** How often every replica re-reads the shared settings: a change takes effect within this. */
const REFRESH_MS = 1_000;

/**
 * The FaultInjector of payment and inventory: nothing unless FAULT_INJECTION is true; then faults
 * from FAULT_LATENCY_MS / FAULT_ERROR_RATE and, at runtime, from the service's Redis hash
 * (fault-settings.ts) that its admin endpoint writes (FaultAdminController, `npm run fault`),
 * re-read every second by every replica. With neither set it does nothing. An injected error is
 * DomainError `unavailable`, as a real outage would be. Faults are recorded on the active span
 * (the adapter's server or consumer span): `fault.latency_ms`, `fault.injected_error` and the
 * event `fault.injected`.
 */
@Injectable()
export class SharedFaultInjector
  extends FaultInjector
  implements OnModuleInit, BeforeApplicationShutdown
{
  private stored: Readonly<Record<string, string>> = {};
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    private readonly config: PlatformConfig,
    private readonly identity: ServiceIdentity,
    logger: AppLogger,
  ) {
    super();
    this.logger = logger.child({ component: 'faults' });
  }

  onModuleInit(): void {
    if (!this.config.faultInjection) {
      const { latencyMs, errorRate } = this.config.faults;
      if (latencyMs > 0 || errorRate > 0)
        this.logger.warn(
          { latencyMs, errorRate },
          'FAULT_LATENCY_MS / FAULT_ERROR_RATE are set, but FAULT_INJECTION is not true: no faults',
        );
      return;
    }
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Waits the configured latency, then fails with the configured probability. */
  override async inject(operation: string): Promise<void> {
    if (!this.config.faultInjection) return;
    const fault = faultFor(operation, this.stored, this.config.faults);
    if (fault.latencyMs === 0 && fault.errorRate === 0) return;
    const fails = fault.errorRate > 0 && Math.random() < fault.errorRate;
    const span = trace.getActiveSpan();
    span?.setAttributes({ 'fault.latency_ms': fault.latencyMs, 'fault.injected_error': fails });
    span?.addEvent('fault.injected', {
      'fault.operation': operation,
      'fault.latency_ms': fault.latencyMs,
      'fault.error_rate': fault.errorRate,
      'fault.injected_error': fails,
    });
    this.logger.debug({ operation, ...fault, fails }, 'injecting fault');
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fails) {
      this.logger.warn({ operation }, 'injected error');
      throw new DomainError(
        'unavailable',
        `${this.identity.name} ${operation} unavailable (injected fault)`,
      );
    }
  }

  private async refresh(): Promise<void> {
    try {
      this.stored = await this.redis.hgetall(FAULT_KEY);
    } catch {
      // Redis is away: keep the last known settings (readiness reports Redis down anyway).
    }
  }
}
