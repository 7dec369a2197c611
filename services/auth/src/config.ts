import { env, PlatformConfig, platformEnv } from '@junction/platform';
import { z } from 'zod';

const pem = (label: string) =>
  z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n').trim())
    .refine((value) => value.startsWith(`-----BEGIN ${label}-----`), {
      message: `must be a PEM ${label.toLowerCase()}`,
    });

const schema = platformEnv.extend({
  HTTP_PORT: env.port(3001),
  USER_GRPC_TARGET: env.grpcTarget('127.0.0.1:50052'),
  GRPC_DEADLINE_MS: env.milliseconds(2_000),
  /** ES256 (P-256) signing key, PKCS#8 PEM. `npm start` generates a dev key into .local/. */
  JWT_PRIVATE_KEY: pem('PRIVATE KEY'),
  /** During a key rotation: the previous public key, still published so old tokens verify. */
  JWT_PREVIOUS_PUBLIC_KEY: pem('PUBLIC KEY').optional(),
  JWT_ISSUER: z.string().min(1).default('junction-auth'),
  JWT_AUDIENCE: z.string().min(1).default('junction'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  /** Login attempts per account and per client IP, and registrations per IP, per minute. */
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(60),
  REGISTER_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 24 * 3600)
    .default(7 * 24 * 3600),
});

export class AuthConfig extends PlatformConfig {
  static readonly env = schema;
  readonly httpPort: number;
  readonly userGrpcTarget: string;
  readonly grpcDeadlineMs: number;
  readonly limits: {
    readonly loginPerAccount: number;
    readonly loginPerIp: number;
    readonly registerPerIp: number;
  };
  readonly tokens: {
    readonly privateKeyPem: string;
    readonly previousPublicKeyPem: string | undefined;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.userGrpcTarget = e.USER_GRPC_TARGET;
    this.grpcDeadlineMs = e.GRPC_DEADLINE_MS;
    this.limits = {
      loginPerAccount: e.LOGIN_LIMIT_PER_ACCOUNT,
      loginPerIp: e.LOGIN_LIMIT_PER_IP,
      registerPerIp: e.REGISTER_LIMIT_PER_IP,
    };
    this.tokens = {
      privateKeyPem: e.JWT_PRIVATE_KEY,
      previousPublicKeyPem: e.JWT_PREVIOUS_PUBLIC_KEY,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    };
  }
}
