import { IdGenerator } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { PasswordHasher, UserStore } from './ports';
import { type NewUser, type StoredUser, type User } from './user';
import { EmailTaken, InvalidCredentials, UserNotFound } from './user.errors';

@Injectable()
export class UserService {
  /** A hash of a random password: verifying against it costs as much as a real one. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
  ) {}

  async create(input: NewUser): Promise<User> {
    if (await this.store.findIdByEmail(input.email)) throw new EmailTaken();
    const user: User = { id: this.ids.newId(), email: input.email, displayName: input.displayName };
    const created = await this.store.create(user, await this.hasher.hash(input.password));
    if (!created) throw new EmailTaken();
    return user;
  }

  async get(id: string): Promise<User> {
    const user = await this.store.findById(id);
    if (!user) throw new UserNotFound(id);
    return withoutHash(user);
  }

  /** Takes as long for an unknown email as for a wrong password, so neither can be told apart. */
  async verifyCredentials(email: string, password: string): Promise<User> {
    const id = await this.store.findIdByEmail(email);
    const user = id ? await this.store.findById(id) : undefined;
    if (!user) {
      this.dummyHash ??= this.hasher.hash(this.ids.newId());
      await this.hasher.verify(await this.dummyHash, password);
      throw new InvalidCredentials();
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) throw new InvalidCredentials();
    return withoutHash(user);
  }
}

function withoutHash(user: StoredUser): User {
  return { id: user.id, email: user.email, displayName: user.displayName };
}
