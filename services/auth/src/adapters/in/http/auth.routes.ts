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
  description:
    'Failed logins are throttled per account and client address, so failing for an account throttles only the client that fails; a client without failures of its own still signs in with the right password while others fail for the same account.',
  body: loginSchema,
  responses: { 200: { description: 'The tokens', body: tokenPairSchema } },
  errors: {
    unauthenticated: 'Wrong email or password',
    rate_limited:
      'Too many attempts from this address, or too many failed logins for this account from this address; try again after Retry-After seconds',
  },
});

export const refresh = defineRoute({
  operationId: 'refresh',
  summary: 'Rotate a refresh token: a new pair, the old refresh token spent',
  description:
    'The refresh token just rotated, presented again within REFRESH_REUSE_GRACE_SECONDS (default 5) of its rotation (a double submit), gets a valid new pair too and the session goes on; presented later, or any older token, ends the session.',
  body: refreshSchema,
  responses: { 200: { description: 'The new tokens', body: tokenPairSchema } },
  errors: {
    unauthenticated:
      'The refresh token is invalid, expired or already used (a reused token ends its session, unless it is the one just rotated, within the grace window)',
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
