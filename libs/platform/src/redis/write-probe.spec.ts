import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { redisWriteProbe } from './write-probe';

/** A free loopback port (the test's own redis-server; the machine's Redis is never limited). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/** A throw-away redis-server (no persistence), ready when this resolves. */
async function ownRedisServer(): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    ...['--maxmemory-policy', 'noeviction'],
  ]);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`redis-server exited (${String(code)}): ${output}`));
    });
  });
  return { port, process: child };
}

describe(redisWriteProbe.name, () => {
  let server: { port: number; process: ChildProcess };
  let redis: Redis;
  let admin: Redis;
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    }),
  );

  beforeAll(async () => {
    server = await ownRedisServer();
    redis = new Redis({ port: server.port, keyPrefix: 'orders:' });
    admin = new Redis({ port: server.port });
    await once(redis, 'ready');
  });

  afterAll(async () => {
    redis.disconnect();
    admin.disconnect();
    server.process.kill('SIGTERM');
    await once(server.process, 'exit');
  });

  it('says nothing while Redis takes writes, and the probe key expires', async () => {
    await expect(redisWriteProbe(redis, logger)()).resolves.toBeUndefined();
    const ttl = await admin.pttl('orders:health:write-probe');
    expect(ttl).toBeGreaterThan(0);
  });

  it('says Redis refuses writes at its maxmemory, logs it once, and once when it is over', async () => {
    const probe = redisWriteProbe(redis, logger);
    lines.length = 0;
    await admin.config('SET', 'maxmemory', '1');
    try {
      await expect(probe()).resolves.toMatch(/^refuses writes: OOM command not allowed/);
      await expect(probe()).resolves.toMatch(/^refuses writes: OOM/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    await expect(probe()).resolves.toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/^Redis refuses writes: OOM/) as unknown,
      }),
      expect.objectContaining({ level: 30, msg: 'Redis accepts writes again' }),
    ]);
  });

  it('fails (not ready) while Redis cannot be reached', async () => {
    const away = new Redis({ port: 1, lazyConnect: true, retryStrategy: () => null });
    away.on('error', () => undefined);
    await expect(redisWriteProbe(away, logger)()).rejects.toThrow(/connection/);
  });
});
