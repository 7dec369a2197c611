import { type userV1 } from '@junction/contracts';
import { type User } from '../../../domain/user';

export function toUserMessage(user: User): userV1.User {
  return { id: user.id, email: user.email, displayName: user.displayName };
}
