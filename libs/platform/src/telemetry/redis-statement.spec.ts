import { redisStatement } from './redis-statement';

describe(redisStatement.name, () => {
  it('shows the command and the shape of its key, with ids masked', () => {
    expect(
      redisStatement('hset', ['orders:order:3f2c9a1e-7b1d-4c1e-9a8e-1b2c3d4e5f60', 'id', 'x']),
    ).toBe('HSET orders:order:? [2 more]');
  });

  it('never shows the arguments of a script (they hold whole events)', () => {
    expect(redisStatement('eval', ['return 1', 1, 'outbox', '{"userId":"u-1"}'])).toBe(
      'EVAL [4 arguments]',
    );
  });

  it('keeps plain words and masks every other key segment', () => {
    expect(redisStatement('get', ['inventory:stock:JNC-MUG'])).toBe('GET inventory:stock:?');
    expect(redisStatement('lindex', ['orders:outbox', 0])).toBe('LINDEX orders:outbox [1 more]');
  });

  it('names a command without arguments alone', () => {
    expect(redisStatement('multi', [])).toBe('MULTI');
  });
});
