import { Readiness } from './readiness';

describe(Readiness.name, () => {
  describe('report', () => {
    it('is ready when every dependency answers', async () => {
      const readiness = new Readiness();
      readiness.register({ name: 'redis', check: () => Promise.resolve(undefined) });
      await expect(readiness.report()).resolves.toEqual({
        ready: true,
        status: 'ready',
        checks: { redis: { status: 'up' } },
      });
    });

    it('stays ready with a dependency that answers but cannot do everything, and says what', async () => {
      const readiness = new Readiness();
      readiness.register({ name: 'redis', check: () => Promise.resolve('refuses writes: OOM') });
      await expect(readiness.report()).resolves.toEqual({
        ready: true,
        status: 'ready',
        checks: { redis: { status: 'up', degraded: 'refuses writes: OOM' } },
      });
    });

    it('names the dependency that is down and why', async () => {
      const readiness = new Readiness();
      readiness.register({
        name: 'redis',
        check: () => Promise.reject(new Error('connection reconnecting')),
      });
      const report = await readiness.report();
      expect(report.ready).toBe(false);
      expect(report.checks.redis).toEqual({ status: 'down', error: 'connection reconnecting' });
    });

    it('counts a dependency that does not answer in time as down', async () => {
      const readiness = new Readiness();
      readiness.register({ name: 'slow', check: () => new Promise(() => undefined) });
      const report = await readiness.report();
      expect(report.checks.slow).toEqual({ status: 'down', error: 'no answer within 1000 ms' });
    });

    it('is not ready while shutting down, even with every dependency up', async () => {
      const readiness = new Readiness();
      readiness.markShuttingDown();
      await expect(readiness.report()).resolves.toMatchObject({
        ready: false,
        status: 'shutting_down',
      });
    });
  });
});
