import { type StoredUser, type User } from './user';

/** Where users and their password hashes are kept. */
export abstract class UserStore {
  /** Claims the email and stores the user in one step; false if the email was already taken. */
  abstract create(user: User, passwordHash: string): Promise<boolean>;
  abstract findById(id: string): Promise<StoredUser | undefined>;
  abstract findIdByEmail(email: string): Promise<string | undefined>;
}

/** A memory-hard, salted password hash (deliberately slow). */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(passwordHash: string, password: string): Promise<boolean>;
}
