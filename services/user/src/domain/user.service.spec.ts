import { mockOf, SequentialIds } from '@junction/platform/testing';
import { PasswordHasher, type UserStore } from './ports';
import { type StoredUser } from './user';
import { UserService } from './user.service';

/** Instant and transparent instead of Argon2id; counts verifications to show the timing guard. */
class FakePasswordHasher extends PasswordHasher {
  verifications = 0;

  hash(password: string): Promise<string> {
    return Promise.resolve(`fake-argon2:${password}`);
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    this.verifications += 1;
    return Promise.resolve(passwordHash === `fake-argon2:${password}`);
  }
}

let userCount = 0;
function newUser(
  overrides: Partial<{ email: string; password: string; displayName: string }> = {},
) {
  userCount += 1;
  return {
    email: `user${userCount}@example.com`,
    password: 'correct horse battery staple',
    displayName: `User ${userCount}`,
    ...overrides,
  };
}

/** An automocked store backed by maps (email → id and id → user), and ids `user-1`, `user-2`, … */
function userDirectory() {
  const byId = new Map<string, StoredUser>();
  const byEmail = new Map<string, string>();
  const repository = mockOf<UserStore>();
  repository.findIdByEmail.mockImplementation((email) => Promise.resolve(byEmail.get(email)));
  repository.findById.mockImplementation((id) => Promise.resolve(byId.get(id)));
  repository.create.mockImplementation((user, passwordHash) => {
    if (byEmail.has(user.email)) return Promise.resolve(false);
    byEmail.set(user.email, user.id);
    byId.set(user.id, { ...user, passwordHash });
    return Promise.resolve(true);
  });
  const hasher = new FakePasswordHasher();
  const ids = new SequentialIds('user');
  return { repository, byId, hasher, service: new UserService(repository, hasher, ids) };
}

describe(UserService.name, () => {
  describe('create', () => {
    it('stores the user with a hash of the password, never the password', async () => {
      const { service, byId } = userDirectory();
      const input = newUser();
      const user = await service.create(input);
      expect(user).toEqual({
        id: 'user-1',
        email: input.email,
        displayName: input.displayName,
      });
      expect(byId.get(user.id)?.passwordHash).toBe(`fake-argon2:${input.password}`);
    });

    it('refuses an email that is taken with already_exists', async () => {
      const { service } = userDirectory();
      const input = newUser();
      await service.create(input);
      await expect(service.create({ ...input, displayName: 'Someone else' })).rejects.toMatchObject(
        { code: 'already_exists', message: 'a user with this email already exists' },
      );
    });

    it('refuses the email when a concurrent registration claimed it first', async () => {
      const { service, repository } = userDirectory();
      repository.create.mockResolvedValueOnce(false);
      await expect(service.create(newUser())).rejects.toMatchObject({ code: 'already_exists' });
    });
  });

  describe('get', () => {
    it('returns the user without the password hash', async () => {
      const { service } = userDirectory();
      const created = await service.create(newUser());
      await expect(service.get(created.id)).resolves.toEqual(created);
    });

    it('answers not_found for an unknown id', async () => {
      const { service } = userDirectory();
      await expect(service.get('user-unknown')).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('verifyCredentials', () => {
    it('returns the user for the right password', async () => {
      const { service } = userDirectory();
      const input = newUser();
      const created = await service.create(input);
      await expect(service.verifyCredentials(input.email, input.password)).resolves.toEqual(
        created,
      );
    });

    it('gives an unknown email and a wrong password the same unauthenticated answer', async () => {
      const { service } = userDirectory();
      const input = newUser();
      await service.create(input);
      const wrongPassword = await service
        .verifyCredentials(input.email, 'not the password')
        .catch((error: unknown) => error);
      const unknownEmail = await service
        .verifyCredentials('nobody@example.com', input.password)
        .catch((error: unknown) => error);
      expect(wrongPassword).toMatchObject({
        code: 'unauthenticated',
        message: 'invalid email or password',
      });
      expect(unknownEmail).toEqual(wrongPassword);
      expect(unknownEmail).toBeInstanceOf((wrongPassword as object).constructor);
    });

    it('spends a password verification on an unknown email too (no timing oracle)', async () => {
      const { service, hasher } = userDirectory();
      await expect(service.verifyCredentials('ghost@example.com', 'whatever')).rejects.toThrow();
      expect(hasher.verifications).toBe(1);
    });
  });
});
