// Chaos' share of the machine's RabbitMQ and Redis: a vhost of its own (created per run), the
// services' queues in it (deleted before each scenario), Redis db 11 (flushed), and a lock so
// that two runs never share them.
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  AmqpClient,
  allServiceQueues,
  deleteVhost,
  flushRedis,
  recreateVhost,
} from '@junction/testkit';
import { ROOT } from '../local/topology.mts';
import { CHAOS_RABBITMQ_URL, CHAOS_REDIS_URL, CHAOS_VHOST } from './settings.mts';

const LOCK_FILE = join(ROOT, '.local', 'chaos.lock');

/** Takes the run lock and creates the chaos vhost afresh; call once before any scenario. */
export async function prepareChaosInfrastructure(): Promise<void> {
  await acquireRunLock();
  await recreateVhost(CHAOS_VHOST);
}

/**
 * Deletes the chaos vhost, empties chaos' Redis database and releases the run lock — only if
 * this process holds the lock (a run that could not start must not tear down another's).
 */
export async function removeChaosInfrastructure(): Promise<void> {
  if ((await lockHolder()) !== process.pid) return;
  await deleteVhost(CHAOS_VHOST);
  await flushRedis(CHAOS_REDIS_URL);
  await rm(LOCK_FILE, { force: true });
}

/** A clean slate for one scenario: an empty database and no queues in the vhost. */
export async function resetForScenario(redisUrl: string): Promise<void> {
  await flushRedis(redisUrl);
  await AmqpClient.with(CHAOS_RABBITMQ_URL, (amqp) => amqp.deleteQueues(allServiceQueues()));
}

async function acquireRunLock(): Promise<void> {
  await mkdir(dirname(LOCK_FILE), { recursive: true });
  const holder = await lockHolder();
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `another chaos run (pid ${String(holder)}) is using the vhost and ports; see ${LOCK_FILE}`,
    );
  }
  await writeFile(LOCK_FILE, String(process.pid));
}

async function lockHolder(): Promise<number | undefined> {
  const pid = Number(await readFile(LOCK_FILE, 'utf8').catch(() => ''));
  return pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
