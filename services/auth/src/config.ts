import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { env, PlatformConfig, platformEnv } from '@junction/platform';
import { z } from 'zod';

/** true if the PEM parses as an EC P-256 key (what ES256 signs and verifies with). */
function isP256(pem: string, parse: (pem: string) => KeyObject): boolean {
  try {
    const key = parse(pem);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false; // the parser's message is dropped: it could quote the key
  }
}

/**
 * An ES256 key in PEM (a literal `\n` stands for a newline): checked at boot, so a wrong key stops
 * the process with one line naming the variable instead of failing later, and is never echoed.
 */
const p256Pem = (label: string, shape: string, parse: (pem: string) => KeyObject, hint = '') =>
  z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n').trim())
    .refine((value) => value.startsWith(`-----BEGIN ${label}-----`), {
      message: `must be ${shape} ("BEGIN ${label}")${hint}`,
      abort: true,
    })
    .refine((value) => isP256(value, parse), {
      message: `must be ${shape}: it does not parse as an EC P-256 key`,
    });

const SEC1_HINT = '; convert a SEC1 key ("EC PRIVATE KEY") with `openssl pkcs8 -topk8 -nocrypt`';

const fields = platformEnv.extend({
  HTTP_PORT: env.port(3001),
  USER_GRPC_TARGET: env.grpcTarget('127.0.0.1:50052'),
  GRPC_DEADLINE_MS: env.milliseconds(2_000),
  /** ES256 (P-256) signing key, PKCS#8 PEM. `npm start` generates a dev key into .local/. */
  JWT_PRIVATE_KEY: p256Pem(
    'PRIVATE KEY',
    'an ES256 (P-256) private key in PKCS#8 PEM',
    (pem) => createPrivateKey({ key: pem, format: 'pem', type: 'pkcs8' }),
    SEC1_HINT,
  ),
  /** During a key rotation: the previous public key, still published so old tokens verify. */
  JWT_PREVIOUS_PUBLIC_KEY: p256Pem('PUBLIC KEY', 'an ES256 (P-256) public key in SPKI PEM', (pem) =>
    createPublicKey({ key: pem, format: 'pem', type: 'spki' }),
  ).optional(),
  JWT_ISSUER: z.string().min(1).default('junction-auth'),
  JWT_AUDIENCE: z.string().min(1).default('junction'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  /** How long a signing key signs before auth rotates to a new one (docs/decisions.md). */
  JWT_KEY_ROTATION_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(365 * 24 * 3600)
    .default(7 * 24 * 3600),
  /**
   * How long a new key is published before it signs: at least the verifiers' JWKS max age
   * (JWKS_CACHE_MAX_AGE_MS, 10 min by default), so none of them meets its kid unprepared.
   */
  JWT_KEY_PUBLICATION_DELAY_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(15 * 60),
  /** Failed logins per account from one client IP, per minute. */
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** Failed logins per account from all clients in 15 minutes, beyond which only a client
   *  without failures of its own may still try. */
  LOGIN_FAILURE_CEILING_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
  /** Login attempts per client IP, and registrations per IP, per minute. */
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(60),
  REGISTER_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 24 * 3600)
    .default(7 * 24 * 3600),
  /** How long the refresh token just rotated away from may come again (a double submit). */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
});

const schema = fields.refine(
  (e) => e.JWT_KEY_PUBLICATION_DELAY_SECONDS < e.JWT_KEY_ROTATION_INTERVAL_SECONDS,
  {
    path: ['JWT_KEY_PUBLICATION_DELAY_SECONDS'],
    message: 'must be shorter than JWT_KEY_ROTATION_INTERVAL_SECONDS',
  },
);

export class AuthConfig extends PlatformConfig {
  static readonly env = schema;
  readonly httpPort: number;
  readonly userGrpcTarget: string;
  readonly grpcDeadlineMs: number;
  readonly limits: {
    readonly loginPerAccount: number;
    readonly loginFailureCeilingPerAccount: number;
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
    readonly refreshReuseGraceSeconds: number;
    readonly rotationIntervalMs: number;
    readonly publicationDelayMs: number;
  };

  constructor(e: z.output<typeof schema>) {
    super(e);
    this.httpPort = e.HTTP_PORT;
    this.userGrpcTarget = e.USER_GRPC_TARGET;
    this.grpcDeadlineMs = e.GRPC_DEADLINE_MS;
    this.limits = {
      loginPerAccount: e.LOGIN_LIMIT_PER_ACCOUNT,
      loginFailureCeilingPerAccount: e.LOGIN_FAILURE_CEILING_PER_ACCOUNT,
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
      refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
      rotationIntervalMs: e.JWT_KEY_ROTATION_INTERVAL_SECONDS * 1000,
      publicationDelayMs: e.JWT_KEY_PUBLICATION_DELAY_SECONDS * 1000,
    };
  }
}
