/** A user as auth sees it (the user service owns users and their password hashes). */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
}

/** Registering an account. */
export interface NewAccount {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}
