// The queued path's backlog over time: orders' outbox (its partitions' stream lengths, read from
// Redis) and the saga queues' depths. The queues are sampled with a passive queue declare (AMQP
// queue.declare-ok carries the ready count) every few hundred ms: `rabbitmqctl list_queues` costs ~1 s of CPU per
// call here (an Erlang VM boots each time), which would load the 2 cores the bench measures. It
// is used at the boundaries instead (snapshot()), where it also shows the unacked messages — but
// for quorum queues its counts come from statistics refreshed every 5 s, so it lags.
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { listQueues, outboxLength, SAGA_QUEUES } from '@junction/testkit';
import { Redis } from 'ioredis';
import { BENCH_VHOST } from '../run/environment.mts';

export interface DepthSample {
  /** ms after the sampler's zero (the load's start). */
  readonly t: number;
  /** Ready messages per queue, and the events waiting in the outbox (OUTBOX). */
  readonly depths: Readonly<Record<string, number>>;
}

/** The outbox's entry among the depths: events orders has not published yet. */
export const OUTBOX = 'orders outbox';

export function totalDepth(sample: DepthSample): number {
  return Object.values(sample.depths).reduce((total, depth) => total + depth, 0);
}

/** The highest total depth of the samples (0 for none; samples that could not tell are skipped). */
export function peakDepth(samples: readonly DepthSample[]): number {
  return Math.max(0, ...samples.map(totalDepth).filter(Number.isFinite));
}

export class QueueDepthSampler {
  readonly samples: DepthSample[] = [];
  private readonly url: string;
  private readonly redis: Redis;
  private connection: Promise<ChannelModel> | undefined;
  private channel: Promise<Channel> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private zero = Date.now();

  /** Connects lazily, and again after the broker dropped the connection. */
  constructor(url: string, redisUrl: string) {
    this.url = url;
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  /**
   * The outbox's length and the current ready count of every saga queue: 0 for a missing queue,
   * NaN when it cannot tell.
   */
  async depths(): Promise<Record<string, number>> {
    const depths: Record<string, number> = {
      [OUTBOX]: await outboxLength(this.redis).catch(() => Number.NaN),
    };
    for (const queue of SAGA_QUEUES) {
      try {
        const channel = await (this.channel ??= this.openChannel());
        depths[queue] = (await channel.checkQueue(queue)).messageCount;
      } catch (error) {
        this.channel = undefined; // the failure closed the channel: open another next time
        depths[queue] = (error as { code?: unknown }).code === 404 ? 0 : Number.NaN;
      }
    }
    return depths;
  }

  /** Samples every `everyMs` from now (t = 0 at `zero`, ms since the epoch) until finish(). */
  start(zero: number, everyMs: number): void {
    clearInterval(this.timer);
    this.samples.length = 0;
    this.zero = zero;
    this.timer = setInterval(() => void this.sample(), everyMs);
    void this.sample();
  }

  /** Stops sampling after one last sample; returns the samples in time order. */
  async finish(): Promise<DepthSample[]> {
    clearInterval(this.timer);
    await this.sample();
    return [...this.samples].sort((a, b) => a.t - b.t);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.redis.disconnect();
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then((c) => c.close()).catch(() => undefined);
  }

  private async sample(): Promise<void> {
    const t = Date.now() - this.zero;
    this.samples.push({ t, depths: await this.depths() });
  }

  private async openChannel(): Promise<Channel> {
    this.connection ??= connect(this.url, { noDelay: true }).then((connection) => {
      const forget = (): void => {
        this.connection = undefined;
        this.channel = undefined;
      };
      connection.on('error', forget).on('close', forget);
      return connection;
    });
    try {
      const channel = await (await this.connection).createChannel();
      channel.on('error', () => undefined);
      return channel;
    } catch (error) {
      this.connection = undefined;
      throw error;
    }
  }
}

export interface QueueRow {
  readonly name: string;
  readonly messages: number;
  readonly unacked: number;
}

/** `rabbitmqctl list_queues` of the bench vhost: every queue with ready and unacked messages. */
export async function snapshot(): Promise<QueueRow[]> {
  return (await listQueues(BENCH_VHOST))
    .map(({ name, ready, unacked }) => ({ name, messages: ready, unacked }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
