import { defineRoute } from '@junction/platform';
import { userSchema } from './user.schemas';

export const me = defineRoute({
  operationId: 'getMe',
  summary: 'The caller’s own user',
  responses: { 200: { description: 'The user of the access token', body: userSchema } },
  errors: { not_found: 'The token’s user no longer exists' },
});
