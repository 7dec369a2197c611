// A redis-server of the scenario's own, persisted the way the chart runs Redis (AOF on,
// fsync every second: charts/junction-infra/templates/redis.yaml), in a temporary directory,
// so it can be shut down and started again on the same data without touching the machine's.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil, sleep } from '@junction/testkit';
import { Redis } from 'ioredis';

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;

export class OwnRedisServer {
  readonly port: number;
  readonly dir: string;
  private process: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  static async start(port: number): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(port, await mkdtemp(join(tmpdir(), 'junction-chaos-redis-')));
    try {
      await server.launch();
    } catch (error) {
      await server.remove();
      throw error;
    }
    return server;
  }

  url(db = 0): string {
    return `redis://127.0.0.1:${String(this.port)}/${String(db)}`;
  }

  /** SIGTERM (what SHUTDOWN does: flush the AOF, exit), down for `downMs`, start on the same dir. */
  async restart(downMs: number): Promise<number> {
    const started = Date.now();
    await this.stop();
    await sleep(downMs);
    await this.launch();
    return Date.now() - started;
  }

  /** Stops the server and deletes its directory. */
  async remove(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--appendonly', 'yes', '--appendfsync', 'everysec'],
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    const answered = await pollUntil(() => ping(this.url(), child), READY_TIMEOUT_MS);
    if (answered === undefined) {
      throw new Error(`redis-server on port ${String(this.port)} did not answer PING`);
    }
  }

  private async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        resolve();
      }),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** 'PONG' once the server answers (after it has loaded its AOF), undefined before. */
async function ping(url: string, child: ChildProcess): Promise<string | undefined> {
  if (child.exitCode !== null)
    throw new Error(`redis-server exited with ${String(child.exitCode)}`);
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.ping();
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
