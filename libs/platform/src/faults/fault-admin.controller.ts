import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Body,
  type CanActivate,
  Controller,
  Delete,
  type ExecutionContext,
  Get,
  Inject,
  Injectable,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { PlatformConfig } from '../config/env';
import { DomainError } from '../errors/domain-error';
import { parseInput } from '../errors/parse-input';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { AppLogger } from '../logging/app-logger';
import { FAULT_KEY } from './fault-settings';
import { faultOperations } from './inject-fault.decorator';

/** What GET, PUT and DELETE /admin/faults answer: the runtime settings, as stored. */
export interface FaultAdminReport {
  readonly service: string;
  /** The operations this service injects faults into. */
  readonly operations: readonly string[];
  /** FAULT_LATENCY_MS / FAULT_ERROR_RATE: what applies where nothing is set at runtime. */
  readonly defaults: { readonly latencyMs: number; readonly errorRate: number };
  /** The runtime fields (fault-settings.ts): `latency_ms`, `<operation>.error_rate`, … */
  readonly runtime: Readonly<Record<string, string>>;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The operator's bearer token (FAULT_ADMIN_TOKEN), compared in constant time (of the digests, so
 * the length leaks nothing either). Without FAULT_INJECTION or without a token the endpoint is
 * off: 404, as if it did not exist.
 */
@Injectable()
export class FaultAdminGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: PlatformConfig) {
    const token = config.faultInjection ? config.faultAdminToken : undefined;
    this.expected = token === undefined ? undefined : sha256(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new DomainError(
        'not_found',
        'fault administration is off here (it needs FAULT_INJECTION=true and FAULT_ADMIN_TOKEN)',
      );
    }
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (token === undefined || !timingSafeEqual(sha256(token), this.expected)) {
      throw new DomainError('unauthenticated', 'the fault admin token is missing or wrong');
    }
    return true;
  }
}

const operationSchema = z
  .string()
  .refine((operation) => faultOperations().includes(operation), {
    message: `must be one of this service's operations`,
  })
  .optional();

const updateSchema = z
  .object({
    operation: operationSchema,
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((u) => u.latencyMs !== undefined || u.errorRate !== undefined, {
    message: 'set latencyMs, errorRate or both',
  });

/**
 * The lab's fault settings, changed at runtime by an operator (`npm run fault`, the storefront's
 * demo panel) instead of by writes into the service's Redis keys: only the service writes its
 * own keys. Every replica applies a change within a second (SharedFaultInjector). Not routed by
 * the ingress gateway, and in the mesh no AuthorizationPolicy admits it: reach it on the pod
 * (`kubectl port-forward`) or locally.
 */
@Controller('admin/faults')
@UseGuards(FaultAdminGuard)
export class FaultAdminController {
  private readonly logger: ReturnType<AppLogger['child']>;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    private readonly config: PlatformConfig,
    private readonly identity: ServiceIdentity,
    logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'fault-admin' });
  }

  @Get()
  show(): Promise<FaultAdminReport> {
    return this.report();
  }

  /** `{ operation?, latencyMs?, errorRate? }`: sets those fields (of the operation, or all). */
  @Put()
  async set(@Body() body: unknown): Promise<FaultAdminReport> {
    const { operation, latencyMs, errorRate } = parseInput(updateSchema, body);
    const prefix = operation === undefined ? '' : `${operation}.`;
    const fields: Record<string, string> = {};
    if (latencyMs !== undefined) fields[`${prefix}latency_ms`] = String(latencyMs);
    if (errorRate !== undefined) fields[`${prefix}error_rate`] = String(errorRate);
    await this.redis.hset(FAULT_KEY, fields);
    this.logger.warn({ operation, latencyMs, errorRate }, 'fault settings changed');
    return this.report();
  }

  /** Clears the runtime settings (`?operation=charge`: only that operation's). */
  @Delete()
  async clear(@Query('operation') rawOperation: unknown): Promise<FaultAdminReport> {
    const operation = parseInput(operationSchema, rawOperation);
    if (operation === undefined) await this.redis.del(FAULT_KEY);
    else await this.redis.hdel(FAULT_KEY, `${operation}.latency_ms`, `${operation}.error_rate`);
    this.logger.warn({ operation }, 'fault settings cleared');
    return this.report();
  }

  private async report(): Promise<FaultAdminReport> {
    return {
      service: this.identity.name,
      operations: faultOperations(),
      defaults: this.config.faults,
      runtime: await this.redis.hgetall(FAULT_KEY),
    };
  }
}
