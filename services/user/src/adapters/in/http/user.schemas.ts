import { z } from 'zod';

/** A user as the service answers it (never with the password hash). */
export const userSchema = z
  .object({ id: z.uuid(), email: z.email(), displayName: z.string() })
  .meta({ id: 'User' });
