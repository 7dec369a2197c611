import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { env } from './env';

class ExampleConfig {
  static readonly env = z.object({
    HTTP_PORT: env.port(3000),
    REDIS_URL: env.url(['redis'], 'redis://x:1'),
  });
  readonly httpPort: number;
  readonly redisUrl: string;
  constructor(e: z.output<typeof ExampleConfig.env>) {
    this.httpPort = e.HTTP_PORT;
    this.redisUrl = e.REDIS_URL;
  }
}

describe(loadConfig.name, () => {
  it('applies defaults and returns a frozen object', () => {
    const config = loadConfig(ExampleConfig, {});
    expect(config).toMatchObject({ httpPort: 3000, redisUrl: 'redis://x:1' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable, the rule and the value in one line', () => {
    expect(() => loadConfig(ExampleConfig, { HTTP_PORT: 'eighty' })).toThrow(
      new ConfigError(
        'invalid configuration: HTTP_PORT: Invalid input: expected number, received NaN (got "eighty")',
      ),
    );
  });

  it('rejects a URL with the wrong scheme', () => {
    expect(() => loadConfig(ExampleConfig, { REDIS_URL: 'http://localhost' })).toThrow(
      /REDIS_URL: must be a redis URL/,
    );
  });
});
