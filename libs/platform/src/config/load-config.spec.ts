import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { env, platformEnv } from './env';

class ExampleConfig {
  static readonly env = z.object({
    HTTP_PORT: env.port(3000),
    REDIS_URL: env.url(['redis'], 'redis://x:1'),
    SIGNING_KEY: z
      .string()
      .refine((v) => v.startsWith('-----BEGIN PRIVATE KEY-----'), 'must be a PEM private key')
      .default('-----BEGIN PRIVATE KEY-----'),
    GREETING: z
      .string()
      .refine((v) => v === 'hello', { error: (issue) => `${String(issue.input)} is not hello` })
      .default('hello'),
  });
  readonly httpPort: number;
  readonly redisUrl: string;
  constructor(e: z.output<typeof ExampleConfig.env>) {
    this.httpPort = e.HTTP_PORT;
    this.redisUrl = e.REDIS_URL;
  }
}

/** The message of the ConfigError that loading `env` throws. */
function configErrorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(ExampleConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config loaded');
}

describe(loadConfig.name, () => {
  it('applies defaults and returns a frozen object', () => {
    const config = loadConfig(ExampleConfig, {});
    expect(config).toMatchObject({ httpPort: 3000, redisUrl: 'redis://x:1' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable and the rule in one line, without the value', () => {
    expect(() => loadConfig(ExampleConfig, { HTTP_PORT: 'eighty' })).toThrow(
      new ConfigError(
        'invalid configuration: HTTP_PORT: Invalid input: expected number, received NaN',
      ),
    );
  });

  it('says a required variable is missing', () => {
    class RequiredConfig {
      static readonly env = z.object({ API_TOKEN: z.string() });
      constructor(readonly e: z.output<typeof RequiredConfig.env>) {}
    }
    expect(() => loadConfig(RequiredConfig, {})).toThrow(
      new ConfigError('invalid configuration: API_TOKEN: missing'),
    );
  });

  it('never echoes a secret in a bad value: not the password of a URL', () => {
    const message = configErrorOf({ REDIS_URL: 'redis://app:hunter2-secret@127.0.0.1:not-a-port' });
    expect(message).toBe('invalid configuration: REDIS_URL: must be a redis URL');
    for (const part of ['hunter2-secret', 'app:', 'not-a-port'])
      expect(message).not.toContain(part);
  });

  it('never echoes a secret in a bad value: not a line of a key', () => {
    const key = [
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEIEME38an3TPxXIYQucuFTFigqa/9OauC2nPXLlnweTOOoAoGCCqGSM49',
      '-----END EC PRIVATE KEY-----',
    ];
    const message = configErrorOf({ SIGNING_KEY: key.join('\n') });
    expect(message).toBe('invalid configuration: SIGNING_KEY: must be a PEM private key');
    for (const line of key) expect(message).not.toContain(line);
  });

  it('drops a schema message that quotes the value it rejects', () => {
    const message = configErrorOf({ GREETING: 'top-secret-greeting' });
    expect(message).toBe('invalid configuration: GREETING: invalid value');
  });

  it('rejects a URL with the wrong scheme', () => {
    expect(() => loadConfig(ExampleConfig, { REDIS_URL: 'http://localhost' })).toThrow(
      /REDIS_URL: must be a redis URL/,
    );
  });
});

describe('platformEnv', () => {
  it('reads the confirm timeout of every publish, 5 s by default, at least 100 ms', () => {
    expect(platformEnv.parse({}).RABBITMQ_CONFIRM_TIMEOUT_MS).toBe(5_000);
    expect(
      platformEnv.parse({ RABBITMQ_CONFIRM_TIMEOUT_MS: '250' }).RABBITMQ_CONFIRM_TIMEOUT_MS,
    ).toBe(250);
    expect(platformEnv.safeParse({ RABBITMQ_CONFIRM_TIMEOUT_MS: '50' }).success).toBe(false);
  });
});
