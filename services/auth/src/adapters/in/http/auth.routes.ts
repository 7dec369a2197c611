import { defineRoute } from '@junction/platform';
import { z } from 'zod';
import {
  accountSchema,
  loginSchema,
  publicKeySetSchema,
  refreshSchema,
  registerSchema,
  tokenPairSchema,
} from './auth.schemas';

export const register = defineRoute({
  operationId: 'register',
  summary: 'Register an account',
  body: registerSchema,
  responses: {
    201: { description: 'The new account', body: z.object({ user: accountSchema }) },
  },
  errors: {
    already_exists: 'The email is taken',
    rate_limited: 'Too many registrations from this address; try again after Retry-After seconds',
  },
});

export const login = defineRoute({
  operationId: 'login',
  summary: 'Log in: an access token and a refresh token',
  body: loginSchema,
  responses: { 200: { description: 'The tokens', body: tokenPairSchema } },
  errors: {
    unauthenticated: 'Wrong email or password',
    rate_limited: 'Too many attempts; try again after Retry-After seconds',
  },
});

export const refresh = defineRoute({
  operationId: 'refresh',
  summary: 'Rotate a refresh token: a new pair, the old refresh token spent',
  body: refreshSchema,
  responses: { 200: { description: 'The new tokens', body: tokenPairSchema } },
  errors: {
    unauthenticated:
      'The refresh token is invalid, expired or already used (a reused token ends its session)',
  },
});

export const logout = defineRoute({
  operationId: 'logout',
  summary: 'End the session of a refresh token',
  body: refreshSchema,
  responses: { 204: { description: 'The session is over (also when it already was)' } },
});

export const jwks = defineRoute({
  operationId: 'jwks',
  summary: 'The public keys access tokens are signed with',
  responses: { 200: { description: 'A JSON Web Key Set', body: publicKeySetSchema } },
});
