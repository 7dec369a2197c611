// The machine's RabbitMQ as an operator sees it: rabbitmqctl for vhosts, queue depths and
// consumers, run asynchronously so a load keeps its rate while a (slow, ~1 s) call is under way.
// rabbitmqctl, not the management API: the management plugin is not enabled everywhere.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export async function rabbitmqctl(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await execFileAsync('rabbitmqctl', ['-q', ...args], { timeout: timeoutMs });
  return stdout;
}

/** A new, empty vhost that the default user (guest) may use entirely. */
export async function recreateVhost(vhost: string): Promise<void> {
  await deleteVhost(vhost);
  await rabbitmqctl(['add_vhost', vhost]);
  await rabbitmqctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
}

/** Deletes the vhost with everything in it; no error if it is not there. */
export async function deleteVhost(vhost: string): Promise<void> {
  await rabbitmqctl(['delete_vhost', vhost]).catch(() => undefined);
}

export interface QueueDepth {
  readonly name: string;
  readonly ready: number;
  readonly unacked: number;
  readonly consumers: number;
}

/**
 * Every queue of the vhost with its ready and unacked messages and consumers. For quorum queues
 * the counts come from statistics refreshed every 5 s, so they lag.
 */
export async function listQueues(vhost: string): Promise<QueueDepth[]> {
  const columns = ['name', 'messages_ready', 'messages_unacknowledged', 'consumers'];
  return rows(await rabbitmqctl(['list_queues', '-p', vhost, '--no-table-headers', ...columns]))
    .filter((row) => row.length === columns.length)
    .map(([name = '', ready, unacked, consumers]) => ({
      name,
      ready: Number(ready),
      unacked: Number(unacked),
      consumers: Number(consumers),
    }));
}

/** The prefetch count of each consumer on each queue, as the broker enforces it. */
export async function listConsumerPrefetch(
  vhost: string,
): Promise<{ queue: string; prefetch: number }[]> {
  const output = await rabbitmqctl([
    'list_consumers',
    '-p',
    vhost,
    '--no-table-headers',
    'queue_name',
    'prefetch_count',
  ]);
  return rows(output)
    .filter((row) => row.length === 2)
    .map(([queue = '', prefetch]) => ({ queue, prefetch: Number(prefetch) }));
}

function rows(output: string): string[][] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}
