// Two outbox relays on one outbox: a second orders replica is started beside the first, queued
// orders arrive at a fixed rate (all through the first replica's HTTP port, so the outbox fills
// from one side), and a queue of the bench's own, bound to every event, tells who published each
// event (the AMQP app-id names the publishing process) and whether any was published twice. On
// a 2-core machine a second replica cannot add throughput; what this shows is that the relays
// share the partitions evenly and that each relay's rate is about half of the total.
import { type Channel, type ChannelModel, connect, type ConsumeMessage } from 'amqplib';
import { EVENTS_EXCHANGE, outboxLeaseHolders, pollUntil } from '@junction/testkit';
import { Redis } from 'ioredis';
import { type BenchTopology } from '../bench-topology.mts';
import { type CheckoutContext, planFor } from './checkout-context.mts';
import { awaitHealthy, awaitSettled } from './drain.mts';
import { summarize } from '../load/load-summary.mts';
import { bootstrapInterval, type Interval } from '../report/intervals.mts';
import { hdrSamples } from '../report/stats.mts';
import { BENCH_RABBITMQ_URL, BENCH_REDIS_URL } from '../run/environment.mts';
import { type RelaySettings } from '../run/settings.mts';

export interface RelayShare {
  /** The publishing process (service/host/pid). */
  readonly appId: string;
  readonly published: number;
  readonly perSecond: number;
  /** Its share of all orders events published. */
  readonly share: number;
}

export interface RelayBalance {
  readonly ratePerSecond: number;
  /** Partitions per relay id when the measurement started. */
  readonly leasesAtStart: Readonly<Record<string, number>>;
  readonly windowMs: number;
  /** orders events published per relay in each window. */
  readonly windows: Readonly<Record<string, number>>[];
  readonly relays: RelayShare[];
  readonly published: number;
  /** Events received more than once (same messageId). */
  readonly duplicates: number;
  readonly confirmed: number;
  /** Share of the relay that published more overall, per window, with its bootstrap interval. */
  readonly busierShare: Interval;
}

export async function relayBalance(
  context: CheckoutContext,
  topology: BenchTopology,
  rate: number,
  settings: RelaySettings,
): Promise<RelayBalance> {
  await topology.startOrdersReplica();
  const watcher = await EventWatcher.open();
  try {
    await awaitHealthy(context, settings.drainTimeoutMs);
    // The replica's relay joins the registry; the first releases its surplus leases at its next
    // renewal and the replica takes them: measured from when both hold partitions.
    const holders = await bothHoldLeases(settings.drainTimeoutMs);
    watcher.reset();
    const durationMs = settings.windows * settings.windowMs;
    const ticker = setInterval(() => {
      watcher.nextWindow();
    }, settings.windowMs);
    const run = await context.load.run(planFor('queued', rate, durationMs));
    clearInterval(ticker); // the last orders' events still arriving count in the last window
    const ids = run.placements.flatMap((p) => (p.orderId === undefined ? [] : [p.orderId]));
    await awaitSettled(context.ledger, context.sampler, ids, settings.drainTimeoutMs);
    const windows = watcher.windows.filter((w) => Object.keys(w).length > 0);
    const totals: Record<string, number> = {};
    for (const window of windows)
      for (const [appId, n] of Object.entries(window)) totals[appId] = (totals[appId] ?? 0) + n;
    const published = Object.values(totals).reduce((a, b) => a + b, 0);
    const seconds = durationMs / 1000;
    const relays = Object.entries(totals)
      .map(([appId, n]) => ({
        appId,
        published: n,
        perSecond: Math.round((n / seconds) * 10) / 10,
        share: published > 0 ? Math.round((n / published) * 1000) / 1000 : Number.NaN,
      }))
      .sort((a, b) => b.published - a.published);
    const busier = relays[0]?.appId ?? '';
    const result: RelayBalance = {
      ratePerSecond: rate,
      leasesAtStart: holders,
      windowMs: settings.windowMs,
      windows,
      relays,
      published,
      duplicates: watcher.duplicates,
      confirmed: summarize(run, hdrSamples).paths[0]?.confirmed ?? 0,
      busierShare: bootstrapInterval(
        windows.map((w) => {
          const all = Object.values(w).reduce((a, b) => a + b, 0);
          return all > 0 ? (w[busier] ?? 0) / all : Number.NaN;
        }),
      ),
    };
    context.log(
      `two relays at ${String(rate)}/s: ${relays.map((r) => `${String(Math.round(r.share * 100))} % (${String(r.perSecond)}/s)`).join(' + ')}, ` +
        `${String(result.duplicates)} published twice`,
    );
    return result;
  } finally {
    await watcher.close();
  }
}

/** Until two relays hold the outbox's leases, half each (or the time is up); partitions per relay. */
async function bothHoldLeases(timeoutMs: number): Promise<Record<string, number>> {
  const redis = new Redis(BENCH_REDIS_URL);
  const count = async (): Promise<Record<string, number>> => {
    const perRelay: Record<string, number> = {};
    for (const holder of Object.values(await outboxLeaseHolders(redis)))
      perRelay[holder] = (perRelay[holder] ?? 0) + 1;
    return perRelay;
  };
  const balanced = (perRelay: Record<string, number>): boolean => {
    const counts = Object.values(perRelay);
    return counts.length >= 2 && Math.max(...counts) - Math.min(...counts) <= 1;
  };
  try {
    const found = await pollUntil(async () => {
      const perRelay = await count();
      return balanced(perRelay) ? perRelay : undefined;
    }, timeoutMs);
    return found ?? (await count());
  } finally {
    redis.disconnect();
  }
}

/** A bench-owned queue bound to every event: counts orders' events per publisher and window. */
class EventWatcher {
  readonly windows: Record<string, number>[] = [{}];
  duplicates = 0;
  private readonly seen = new Set<string>();

  private readonly connection: ChannelModel;
  private readonly channel: Channel;

  private constructor(connection: ChannelModel, channel: Channel) {
    this.connection = connection;
    this.channel = channel;
  }

  static async open(): Promise<EventWatcher> {
    const connection = await connect(BENCH_RABBITMQ_URL);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, '#');
    const watcher = new EventWatcher(connection, channel);
    await channel.consume(
      queue,
      (message) => {
        watcher.count(message);
      },
      { noAck: true },
    );
    return watcher;
  }

  reset(): void {
    this.windows.length = 0;
    this.windows.push({});
    this.seen.clear();
    this.duplicates = 0;
  }

  nextWindow(): void {
    this.windows.push({});
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }

  private count(message: ConsumeMessage | null): void {
    if (!message) return;
    const appId = String(message.properties.appId ?? '');
    if (!appId.startsWith('orders/')) return;
    const id = String(message.properties.messageId ?? '');
    if (this.seen.has(id)) this.duplicates += 1;
    this.seen.add(id);
    const window = this.windows.at(-1) ?? {};
    window[appId] = (window[appId] ?? 0) + 1;
  }
}
