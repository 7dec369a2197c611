import { DomainError } from '@junction/platform';
import { mockOf, SequentialIds } from '@junction/platform/testing';
import { type AuthConfig } from '../config';
import { type AttemptThrottle } from './attempt-throttle';
import { AuthService } from './auth.service';
import { Secrets, type SessionStore, type TokenSigner, type UserDirectory } from './ports';
import { type RotateResult } from './session';

const CLIENT_IP = '203.0.113.7';
const REFRESH_TTL_SECONDS = 3600;
const ACCESS_TTL_SECONDS = 900;

interface Account {
  readonly id: string;
  readonly email: string;
  readonly password: string;
}

let accountCount = 0;
function account(overrides: Partial<Account> = {}): Account {
  accountCount += 1;
  return {
    id: `user-${accountCount}`,
    email: `user${accountCount}@example.com`,
    password: 'correct horse battery staple',
    ...overrides,
  };
}

const digestOf = (value: string): string => `digest(${value})`;

/** Refresh tokens shaped like the real ones (43 base64url characters), a new one each time. */
class FakeSecrets extends Secrets {
  private issued = 0;

  newToken(): string {
    this.issued += 1;
    return `refresh-token-${String(this.issued)}-`.padEnd(43, 'x');
  }

  digest(value: string): string {
    return digestOf(value);
  }
}

interface StoredSession {
  userId: string;
  current: string;
  ttlSeconds: number;
}

/**
 * AuthService over automocked ports: a user directory that knows `accounts`, a signer whose
 * access token spells out whom and which session it is for, and a session store backed by
 * maps with the semantics of the Redis script (rotate, reuse revokes, revoked).
 */
function authWith(accounts: readonly Account[], options: { throttled?: boolean } = {}) {
  const sessions = new Map<string, StoredSession>();
  const refreshTokens = new Map<string, string>();

  const users = mockOf<UserDirectory>();
  users.verifyCredentials.mockImplementation((email, password) => {
    const found = accounts.find((a) => a.email === email && a.password === password);
    if (!found) {
      return Promise.reject(new DomainError('unauthenticated', 'invalid email or password'));
    }
    return Promise.resolve({ id: found.id, email: found.email, displayName: 'Someone' });
  });

  const repository = mockOf<SessionStore>();
  repository.create.mockImplementation((sessionId, userId, refreshHash, ttlSeconds) => {
    sessions.set(sessionId, { userId, current: refreshHash, ttlSeconds });
    refreshTokens.set(refreshHash, sessionId);
    return Promise.resolve();
  });
  repository.sessionOf.mockImplementation((refreshHash) => {
    const sessionId = refreshTokens.get(refreshHash);
    if (!sessionId) return Promise.resolve(undefined);
    return Promise.resolve({ sessionId, userId: sessions.get(sessionId)?.userId ?? '' });
  });
  repository.rotate.mockImplementation((sessionId, oldHash, newHash) => {
    const session = sessions.get(sessionId);
    let result: RotateResult = 'rotated';
    if (!session) result = 'revoked';
    else if (session.current !== oldHash) {
      sessions.delete(sessionId);
      result = 'reused';
    } else {
      session.current = newHash;
      refreshTokens.set(newHash, sessionId);
    }
    return Promise.resolve(result);
  });
  repository.revoke.mockImplementation((sessionId) => {
    sessions.delete(sessionId);
    return Promise.resolve();
  });

  const signer = mockOf<TokenSigner>();
  signer.sign.mockImplementation((userId, sessionId) =>
    Promise.resolve({ token: `access(${userId},${sessionId})`, expiresIn: ACCESS_TTL_SECONDS }),
  );

  const config = mockOf<AuthConfig>({
    tokens: {
      refreshTtlSeconds: REFRESH_TTL_SECONDS,
      accessTtlSeconds: ACCESS_TTL_SECONDS,
      refreshReuseGraceSeconds: 5,
    },
  });

  const throttle = mockOf<AttemptThrottle>();
  throttle.login.mockImplementation(<T>(_email: string, _ip: string, verify: () => Promise<T>) =>
    options.throttled
      ? Promise.reject(new DomainError('rate_limited', 'too many login attempts', [], 30))
      : verify(),
  );

  const service = new AuthService(
    users,
    repository,
    signer,
    config,
    throttle,
    new FakeSecrets(),
    new SequentialIds('session'),
  );
  return { service, sessions };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof DomainError))
    throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}

describe(AuthService.name, () => {
  describe('login', () => {
    it('starts a session that stores only a hash of the refresh token', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      const pair = await service.login(ada.email, ada.password, CLIENT_IP);

      expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: ACCESS_TTL_SECONDS });
      expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect([...sessions.values()]).toEqual([
        { userId: ada.id, current: digestOf(pair.refreshToken), ttlSeconds: REFRESH_TTL_SECONDS },
      ]);
      const [sessionId] = [...sessions.keys()];
      expect(pair.accessToken).toBe(`access(${ada.id},${sessionId})`);
    });

    it('matches the email case-insensitively', async () => {
      const ada = account({ email: 'ada@example.com' });
      const { service } = authWith([ada]);
      await expect(
        service.login('Ada@Example.COM', ada.password, CLIENT_IP),
      ).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('starts no session for wrong credentials', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      const error = await failure(service.login(ada.email, 'wrong password', CLIENT_IP));
      expect(error.code).toBe('unauthenticated');
      expect(sessions.size).toBe(0);
    });

    it('starts no session when the attempt is throttled', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada], { throttled: true });
      const error = await failure(service.login(ada.email, ada.password, CLIENT_IP));
      expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
      expect(sessions.size).toBe(0);
    });

    it('starts a new session on every login', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      const first = await service.login(ada.email, ada.password, CLIENT_IP);
      const second = await service.login(ada.email, ada.password, CLIENT_IP);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(sessions.size).toBe(2);
    });
  });

  describe('refresh', () => {
    it('returns a new refresh token for the same session', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      const login = await service.login(ada.email, ada.password, CLIENT_IP);

      const refreshed = await service.refresh(login.refreshToken);

      expect(refreshed.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(refreshed.refreshToken).not.toBe(login.refreshToken);
      expect(refreshed.accessToken).toBe(login.accessToken);
      expect([...sessions.values()].map((s) => s.current)).toEqual([
        digestOf(refreshed.refreshToken),
      ]);
    });

    it('keeps rotating: each new refresh token refreshes once more', async () => {
      const ada = account();
      const { service } = authWith([ada]);
      let refreshToken = (await service.login(ada.email, ada.password, CLIENT_IP)).refreshToken;
      for (let i = 0; i < 3; i++) refreshToken = (await service.refresh(refreshToken)).refreshToken;
      await expect(service.refresh(refreshToken)).resolves.toMatchObject({ tokenType: 'Bearer' });
    });

    it('treats a reused refresh token as theft: unauthenticated, and the session is revoked', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      const login = await service.login(ada.email, ada.password, CLIENT_IP);
      const refreshed = await service.refresh(login.refreshToken);

      const reuse = await failure(service.refresh(login.refreshToken));

      expect(reuse.code).toBe('unauthenticated');
      expect(reuse.message).toMatch(/reuse/);
      expect(sessions.size).toBe(0);
      const afterRevocation = await failure(service.refresh(refreshed.refreshToken));
      expect(afterRevocation.code).toBe('unauthenticated');
    });

    it('rejects a refresh token it never issued', async () => {
      const { service } = authWith([account()]);
      const error = await failure(service.refresh('x'.repeat(43)));
      expect(error).toMatchObject({
        code: 'unauthenticated',
        message: 'invalid or expired refresh token',
      });
    });
  });

  describe('logout', () => {
    it('ends the session, so its refresh token no longer works', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      const login = await service.login(ada.email, ada.password, CLIENT_IP);
      await service.logout(login.refreshToken);
      expect(sessions.size).toBe(0);
      expect((await failure(service.refresh(login.refreshToken))).code).toBe('unauthenticated');
    });

    it('ignores a refresh token it does not know', async () => {
      const ada = account();
      const { service, sessions } = authWith([ada]);
      await service.login(ada.email, ada.password, CLIENT_IP);
      await expect(service.logout('y'.repeat(43))).resolves.toBeUndefined();
      expect(sessions.size).toBe(1);
    });
  });
});
