import { z } from 'zod';
import { type Fault } from '../faults/fault-settings';

/** Reusable env-variable schemas, so every service reads the same names the same way. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  url: (protocols: readonly string[], fallback: string) =>
    z
      .url({ message: `must be a ${protocols.join(' or ')} URL` })
      .refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
        message: `must be a ${protocols.join(' or ')} URL`,
      })
      .default(fallback),
  /** A gRPC target such as "127.0.0.1:50055" or "dns:///inventory:50055". */
  grpcTarget: (fallback: string) =>
    z
      .string()
      .regex(/^(dns:\/\/\/)?[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'must be host:port' })
      .default(fallback),
  /** A whole number in [min, max]. */
  count: (fallback: number, min: number, max: number) =>
    z.coerce
      .number()
      .int({ message: `must be a whole number from ${String(min)} to ${String(max)}` })
      .min(min, { message: `must be a whole number from ${String(min)} to ${String(max)}` })
      .max(max, { message: `must be a whole number from ${String(min)} to ${String(max)}` })
      .default(fallback),
  milliseconds: (fallback: number) => z.coerce.number().int().min(0).max(600_000).default(fallback),
  logLevel: () =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A probability such as an error rate: a number from 0 to 1. */
  ratio: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a number from 0 to 1' })
      .min(0, { message: 'must be a number from 0 to 1' })
      .max(1, { message: 'must be a number from 0 to 1' })
      .default(fallback),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
};

/** Variables every service understands. Each service's own schema extends this one. */
export const platformEnv = z.object({
  LOG_LEVEL: env.logLevel(),
  SHUTDOWN_TIMEOUT_MS: env.milliseconds(10_000),
  REDIS_URL: env.url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  RABBITMQ_URL: env.url(['amqp', 'amqps'], 'amqp://guest:guest@127.0.0.1:5672'),
  /**
   * How long a publish (an event, a consumer's retry or park) waits for the broker's confirm, or
   * for the end of a broker block, before it fails `unavailable`; its channel is then reopened.
   */
  RABBITMQ_CONFIRM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Proxies in front of the service whose X-Forwarded-For to trust (the mesh: 1). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /**
   * Fault injection (a lab feature, docs/tracing.md): off unless true. Then FAULT_LATENCY_MS /
   * FAULT_ERROR_RATE apply, and the runtime settings of the admin endpoint /admin/faults.
   */
  FAULT_INJECTION: env.flag(false),
  /**
   * The operator's bearer token for /admin/faults (`npm run fault`), at least 32 characters;
   * unset, the endpoint answers 404. A secret: from a Secret, never in plain values.
   */
  FAULT_ADMIN_TOKEN: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /** Static fault defaults (the admin endpoint overrides them at runtime, see docs/tracing.md). */
  FAULT_LATENCY_MS: env.milliseconds(0),
  FAULT_ERROR_RATE: env.ratio(0),
  /** Consumer spans link to the producer instead of continuing its trace (docs/tracing.md). */
  JUNCTION_MESSAGING_SPAN_LINKS: env.flag(false),
});

export type PlatformEnv = z.output<typeof platformEnv>;

/**
 * The settings the shared platform needs. A service's config class extends it and adds its own;
 * the bootstrap provides the instance under both classes, so platform code injects this one.
 */
export abstract class PlatformConfig {
  readonly logLevel: PlatformEnv['LOG_LEVEL'];
  readonly shutdownTimeoutMs: number;
  readonly redisUrl: string;
  readonly rabbitmqUrl: string;
  /** RABBITMQ_CONFIRM_TIMEOUT_MS: the longest wait for a publish's confirm. */
  readonly rabbitmqConfirmTimeoutMs: number;
  /** Client IPs (rate limits) come from X-Forwarded-For through this many proxies. */
  readonly trustProxyHops: number;
  /** Injected faults when none are set at runtime (used where `@InjectFault` is, see faults/). */
  readonly faults: Fault;
  /** FAULT_INJECTION: without it `@InjectFault` injects nothing and /admin/faults is off. */
  readonly faultInjection: boolean;
  /** FAULT_ADMIN_TOKEN: the operator's bearer token for /admin/faults (none: the endpoint is off). */
  readonly faultAdminToken: string | undefined;
  readonly messagingSpanLinks: boolean;
  abstract readonly httpPort: number;

  protected constructor(e: PlatformEnv) {
    this.logLevel = e.LOG_LEVEL;
    this.shutdownTimeoutMs = e.SHUTDOWN_TIMEOUT_MS;
    this.redisUrl = e.REDIS_URL;
    this.rabbitmqUrl = e.RABBITMQ_URL;
    this.rabbitmqConfirmTimeoutMs = e.RABBITMQ_CONFIRM_TIMEOUT_MS;
    this.trustProxyHops = e.TRUST_PROXY_HOPS;
    this.faults = { latencyMs: e.FAULT_LATENCY_MS, errorRate: e.FAULT_ERROR_RATE };
    this.faultInjection = e.FAULT_INJECTION;
    this.faultAdminToken = e.FAULT_ADMIN_TOKEN;
    this.messagingSpanLinks = e.JUNCTION_MESSAGING_SPAN_LINKS;
  }
}

/** Where services that verify access tokens find auth's keys, and what the tokens must say. */
export const jwtVerifierEnv = {
  AUTH_JWKS_URL: env.url(['http', 'https'], 'http://127.0.0.1:3001/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('junction-auth'),
  JWT_AUDIENCE: z.string().min(1).default('junction'),
  /** How long a fetched key set is used before it is fetched again (≤ auth's publication delay). */
  JWKS_CACHE_MAX_AGE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(600_000),
  /** How long past that the last good key set is used while auth's JWKS cannot be fetched. */
  JWKS_STALE_IF_ERROR_MS: z.coerce.number().int().min(0).max(86_400_000).default(3_600_000),
};

export function jwtVerifierSettings(e: {
  AUTH_JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWKS_CACHE_MAX_AGE_MS: number;
  JWKS_STALE_IF_ERROR_MS: number;
}) {
  return {
    jwksUrl: e.AUTH_JWKS_URL,
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    cacheMaxAgeMs: e.JWKS_CACHE_MAX_AGE_MS,
    staleIfErrorMs: e.JWKS_STALE_IF_ERROR_MS,
  } as const;
}
