import { z } from 'zod';

/** One schema per gRPC request: the handler's input type, its validation and its messages. */
const emailSchema = z
  .email('must be an email address')
  .max(254)
  .transform((e) => e.toLowerCase());

export const createUserSchema = z.object({
  email: emailSchema,
  password: z.string().min(8, 'must be at least 8 characters').max(128),
  displayName: z.string().trim().min(1, 'must not be empty').max(80),
});

export const getUserSchema = z.object({ id: z.uuid('must be a user id') });

export const verifyCredentialsSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(128),
});
