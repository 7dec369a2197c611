/** A user as the service answers it: never with the password hash. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
}

/** A user as stored: with the (Argon2id) hash of the password. */
export type StoredUser = User & { readonly passwordHash: string };

/** Registering a user: the email already normalised (lower case) by the adapter's schema. */
export interface NewUser {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}
