import { once } from 'node:events';
import { TestRedis } from '../testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import { observeRedis } from './observe-redis';
import { ObservedDependencies } from './observed-dependencies';

const silent = () => new ObservedDependencies(pino({ level: 'silent' }));

describe(observeRedis.name, () => {
  describe('on a connection that is already ready', () => {
    it('reports Redis up with the connection status', async () => {
      const test = await TestRedis.connect({ label: 'observe-redis' });
      try {
        const observed = silent();
        observeRedis(test.redis, observed);
        expect(observed.report().redis).toMatchObject({
          kind: 'redis',
          state: 'up',
          status: 'ready',
        });
      } finally {
        await test.close();
      }
    });
  });

  describe('when the connection drops', () => {
    it('reports Redis down, then up again once ioredis has reconnected', async () => {
      const test = await TestRedis.connect({ label: 'observe-redis' });
      const client = test.anotherConnection();
      try {
        const observed = silent();
        const status = observeRedis(client, observed);
        // lazyConnect: the first command connects.
        const id = await client.client('ID');
        expect(status.state).toBe('up');
        // Kill the connection from the server side, as a Redis restart would.
        const closed = once(client, 'close');
        await test.redis.client('KILL', 'ID', String(id));
        await closed;
        expect(status.state).toBe('down');
        await once(client, 'ready');
        expect(observed.report().redis).toMatchObject({ state: 'up', status: 'ready' });
      } finally {
        await test.close();
      }
    });
  });

  describe('when Redis cannot be reached', () => {
    it('reports Redis down with the error and the reconnecting status', async () => {
      const redis = new Redis('redis://127.0.0.1:1', {
        retryStrategy: () => 10_000,
        maxRetriesPerRequest: 1,
      });
      try {
        const observed = silent();
        const status = observeRedis(redis, observed);
        // (events.once would reject on the 'error' event that comes first.)
        await new Promise((resolve) => redis.once('close', resolve));
        expect(status.state).toBe('down');
        expect(observed.report().redis).toMatchObject({
          state: 'down',
          lastFailure: { error: expect.stringContaining('ECONNREFUSED') as unknown },
        });
        expect(['connecting', 'reconnecting', 'close']).toContain(redis.status);
      } finally {
        redis.disconnect();
      }
    });
  });
});
