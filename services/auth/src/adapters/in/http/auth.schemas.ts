import { z } from 'zod';

export const registerSchema = z.object({
  email: z.email('must be an email address').max(254),
  password: z.string().min(8, 'must be at least 8 characters').max(128),
  displayName: z.string().trim().min(1, 'must not be empty').max(80),
});

export const loginSchema = z.object({
  email: z.email('must be an email address').max(254),
  password: z.string().min(1, 'must not be empty').max(128),
});

export const refreshSchema = z.object({
  refreshToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a refresh token'),
});

/** A user as auth answers it. */
export const accountSchema = z
  .object({ id: z.uuid(), email: z.email(), displayName: z.string() })
  .meta({ id: 'Account' });

export const tokenPairSchema = z
  .object({
    accessToken: z
      .string()
      .meta({ description: 'A JWT for Authorization: Bearer, verified with the JWKS' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds the access token is valid' }),
    refreshToken: z.string().meta({ description: 'Single use: POST /auth/refresh rotates it' }),
  })
  .meta({ id: 'TokenPair' });

export const publicKeySetSchema = z
  .object({
    keys: z.array(
      z.unknown().meta({ description: 'A public JSON Web Key (RFC 7517) with its kid' }),
    ),
  })
  .meta({ id: 'PublicKeySet' });
