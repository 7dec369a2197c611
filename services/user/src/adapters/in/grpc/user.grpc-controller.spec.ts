import { mockOf } from '@junction/platform/testing';
import { type UserService } from '../../../domain/user.service';
import { UserGrpcController } from './user.grpc-controller';

const ada = {
  id: '5b0c3f8e-4a57-4d3c-9d53-1f0b2c3d4e5f',
  email: 'ada@example.com',
  displayName: 'Ada',
};

function controller() {
  const users = mockOf<UserService>();
  users.create.mockImplementation((input) =>
    Promise.resolve({ id: ada.id, email: input.email, displayName: input.displayName }),
  );
  users.get.mockResolvedValue(ada);
  return new UserGrpcController(users);
}

describe(UserGrpcController.name, () => {
  describe('createUser', () => {
    it('registers the user with the email in lower case and answers the user', async () => {
      const reply = await controller().createUser({
        email: 'Ada@Example.COM',
        password: 'correct horse battery staple',
        displayName: ' Ada ',
      });
      expect(reply).toEqual({ user: ada });
    });

    it('answers invalid_argument naming every wrong field', async () => {
      await expect(
        controller().createUser({ email: 'not an email', password: 'short', displayName: '' }),
      ).rejects.toMatchObject({
        code: 'invalid_argument',
        violations: [
          { field: 'email', message: 'must be an email address' },
          { field: 'password', message: 'must be at least 8 characters' },
          { field: 'displayName', message: 'must not be empty' },
        ],
      });
    });
  });

  describe('getUser', () => {
    it('refuses an id that is not a user id', async () => {
      await expect(controller().getUser({ id: 'nope' })).rejects.toMatchObject({
        code: 'invalid_argument',
        message: 'invalid request: id: must be a user id',
      });
    });

    it('answers the user', async () => {
      await expect(controller().getUser({ id: ada.id })).resolves.toEqual({ user: ada });
    });
  });
});
