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
