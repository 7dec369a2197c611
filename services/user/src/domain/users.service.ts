import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UsersRepository } from '../store/users.repository';
import { PasswordHasher } from './password-hasher';
import { type User } from './user';
import { EmailTaken, InvalidCredentials, UserNotFound } from './user.errors';

/** A hash of a random password: verifying against it costs as much as a real one. */
const DUMMY_HASH_INPUT = randomUUID();

@Injectable()
export class UsersService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly repository: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(input: { email: string; password: string; displayName: string }): Promise<User> {
    if (await this.repository.findIdByEmail(input.email)) throw new EmailTaken();
    const user: User = { id: randomUUID(), email: input.email, displayName: input.displayName };
    const created = await this.repository.create(user, await this.hasher.hash(input.password));
    if (!created) throw new EmailTaken();
    return user;
  }

  async get(id: string): Promise<User> {
    const user = await this.repository.findById(id);
    if (!user) throw new UserNotFound(id);
    return { id: user.id, email: user.email, displayName: user.displayName };
  }

  /** Takes as long for an unknown email as for a wrong password, so neither can be told apart. */
  async verifyCredentials(email: string, password: string): Promise<User> {
    const id = await this.repository.findIdByEmail(email);
    const user = id ? await this.repository.findById(id) : undefined;
    if (!user) {
      this.dummyHash ??= this.hasher.hash(DUMMY_HASH_INPUT);
      await this.hasher.verify(await this.dummyHash, password);
      throw new InvalidCredentials();
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) throw new InvalidCredentials();
    return { id: user.id, email: user.email, displayName: user.displayName };
  }
}
