import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { type User } from '../../../domain/user';
import { UserRepository } from './user.repository';

function user(overrides: Partial<User> = {}): User {
  const id = randomUUID();
  return { id, email: `${id}@example.com`, displayName: 'Ada', ...overrides };
}

describe(UserRepository.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'user-repository' });
  });

  afterAll(async () => {
    await store.close();
  });

  describe('create', () => {
    it('stores the user, findable by id and by email', async () => {
      const repository = new UserRepository(store.redis);
      const ada = user();
      await expect(repository.create(ada, 'hash-1')).resolves.toBe(true);
      await expect(repository.findIdByEmail(ada.email)).resolves.toBe(ada.id);
      await expect(repository.findById(ada.id)).resolves.toEqual({
        ...ada,
        passwordHash: 'hash-1',
      });
    });

    it('lets exactly one of 10 concurrent registrations of an email through', async () => {
      const connections = Array.from({ length: 5 }, () => store.anotherConnection());
      const email = `${randomUUID()}@example.com`;
      const candidates = Array.from({ length: 10 }, () => user({ email }));
      const created = await Promise.all(
        candidates.map((candidate, i) =>
          new UserRepository(connections[i % connections.length]!).create(candidate, 'h'),
        ),
      );
      expect(created.filter(Boolean)).toHaveLength(1);
      const winner = candidates[created.indexOf(true)]!;
      const repository = new UserRepository(store.redis);
      await expect(repository.findIdByEmail(email)).resolves.toBe(winner.id);
      const losers = candidates.filter((candidate) => candidate !== winner);
      const written = await Promise.all(losers.map((loser) => repository.findById(loser.id)));
      expect(written.every((found) => found === undefined)).toBe(true);
    });
  });

  describe('findById', () => {
    it('finds nothing for an unknown id', async () => {
      await expect(new UserRepository(store.redis).findById(randomUUID())).resolves.toBeUndefined();
    });
  });
});
