import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { EventPublisher, type OutgoingEvent, UnroutableEvent } from '@junction/messaging';
import { AppLogger, withTraceContext } from '@junction/platform';
import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Logger } from 'pino';
import { OrdersConfig, type OutboxSettings } from '../../../config';
import { Outbox, type OutboxEntry, type StoredEntry } from '../redis/outbox';

/** A wait that `ring` ends early (the relay's loops sleep on one each). */
class Alarm {
  private ringing: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.ringing = done;
    });
  }

  ring(): void {
    this.ringing?.();
  }
}

/** What one batch of one partition came to. */
interface BatchResult {
  readonly published: number;
  readonly failed: number;
  /** Entries were left behind (a full batch, an order's later event, a failure): go again. */
  readonly more: boolean;
}

const IDLE_POLL_MS = 500;
const RETRY_MS = 1_000;
/** How long a relay is registered before it takes partitions: relays starting together meet. */
const JOIN_MS = 300;
/** Kicks in one linger window that end it early: a burst this size has most of the saving. */
const LINGER_FLUSH_AT = 16;

/**
 * Publishes the outbox. Each relay (one per orders replica) holds leases on its fair share of
 * the partitions — ceil(partitions ÷ live relays), rebalanced as relays come and go — and per
 * partition publishes batches: up to batchSize entries, at most one per order (so an order's
 * next event waits until its previous one is confirmed), all with confirms outstanding at once,
 * then deletes the confirmed ones. A failed publish stays for the next round; an entry that is
 * not an event is parked with the reason at once, one the broker keeps returning as unroutable
 * after unroutableAttempts; neither blocks the entries behind it. A relay that dies leaves its
 * leases to expire (leaseMs): the others take its partitions and publish what it had not deleted,
 * so nothing is lost (what it had published but not deleted goes out twice; consumers absorb it).
 * `kick` wakes the relay after a new order, for that order's partition only; every partition
 * held is read again at least every IDLE_POLL_MS (which is how a relay finds what another
 * replica's orders wrote to its partitions). At a few hundred orders a second, a round of every
 * partition on every new order was most of the relay's Redis commands. The first kick after a
 * round opens a window of lingerMs (0: none); the kicks within it are published together when it
 * ends, or as soon as LINGER_FLUSH_AT orders wait: RabbitMQ spends a third of the CPU per message
 * on a burst of 16 that it spends on messages arriving one at a time, and each hop of the saga
 * passes the burst on (docs/performance.md). Left-over entries (`more`) go at once.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** This relay in the registry and on its leases. */
  readonly id = `${hostname()}:${String(process.pid)}:${randomBytes(4).toString('hex')}`;
  private readonly settings: OutboxSettings;
  private readonly logger: Logger;
  /** Partitions this relay holds and may start batches on. */
  private readonly owned = new Set<number>();
  /** The batch in flight per partition. */
  private readonly inFlight = new Map<number, Promise<BatchResult>>();
  /** Partitions to read in the next round: kicked, or left with more to publish. */
  private readonly due = new Set<number>();
  /** Partitions kicked in the open linger window: due when it ends. */
  private readonly kicked = new Set<number>();
  /** The open linger window: kicks seen in it, and its timer (undefined: none open). */
  private lingering: { kicks: number; timer: NodeJS.Timeout } | undefined;
  /** When every partition held was last read (performance.now()). */
  private sweptAt = 0;
  /** Unroutable returns so far, by stream id. */
  private readonly unroutable = new Map<string, number>();
  private running = false;
  /** Wakes the publish loop (a new order, a partition taken, shutdown). */
  private readonly publishAlarm = new Alarm();
  private readonly leaseAlarm = new Alarm();
  private publishing: Promise<void> | undefined;
  private leasing: Promise<void> | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly publisher: EventPublisher,
    config: OrdersConfig,
    logger: AppLogger,
  ) {
    this.settings = config.outbox;
    this.logger = logger.child({ component: 'outbox-relay', relay: this.id });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.leasing = this.leaseLoop();
    this.publishing = this.publishLoop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    if (this.lingering) clearTimeout(this.lingering.timer);
    this.lingering = undefined;
    this.publishAlarm.ring();
    this.leaseAlarm.ring();
    await Promise.all([this.publishing, this.leasing]);
    await Promise.all([...this.owned].map((p) => this.outbox.release(p, this.id))).catch(
      () => undefined,
    );
    this.owned.clear();
    await this.outbox.leave(this.id).catch(() => undefined);
  }

  /**
   * Wakes the publish loop for the partition of `key` (an order id) when the linger window ends —
   * if this relay holds it; the owner's next sweep finds it otherwise — or, without a key, for
   * every partition held, at once.
   */
  kick(key?: string): void {
    if (key === undefined) {
      for (const p of this.owned) this.due.add(p);
      this.flush();
      return;
    }
    const partition = this.outbox.partitionOf(key);
    if (!this.owned.has(partition)) return;
    this.kicked.add(partition);
    if (this.settings.lingerMs === 0) {
      this.flush();
    } else if (this.lingering === undefined) {
      this.lingering = {
        kicks: 1,
        timer: setTimeout(() => {
          this.flush();
        }, this.settings.lingerMs),
      };
    } else if (++this.lingering.kicks >= LINGER_FLUSH_AT) {
      this.flush();
    }
  }

  /** Ends the linger window (if one is open) and wakes the publish loop. */
  private flush(): void {
    if (this.lingering) clearTimeout(this.lingering.timer);
    this.lingering = undefined;
    for (const p of this.kicked) this.due.add(p);
    this.kicked.clear();
    this.publishAlarm.ring();
  }

  /** The partitions this relay holds now. */
  partitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** Read through a getter: `running` changes while a loop awaits. */
  private get stopping(): boolean {
    return !this.running;
  }

  private get renewEveryMs(): number {
    return Math.max(50, Math.floor(this.settings.leaseMs / 3));
  }

  /**
   * Keeps this relay registered and its leases renewed, on its own timer so that a slow batch
   * never lets a lease lapse. It registers JOIN_MS before it first takes partitions, so relays
   * that start together see each other and split them at once.
   */
  private async leaseLoop(): Promise<void> {
    let first = true;
    while (this.running) {
      try {
        if (first) await this.outbox.heartbeat(this.id, this.settings.leaseMs);
        else await this.balance();
      } catch (error) {
        this.logger.warn({ err: messageOf(error) }, 'outbox leases could not be renewed');
      }
      const wait = first ? JOIN_MS : this.renewEveryMs;
      first = false;
      if (this.stopping) return;
      await this.leaseAlarm.sleep(wait);
    }
  }

  /** Renews what it holds, gives back what is over its share, takes free ones up to it. */
  private async balance(): Promise<void> {
    const { partitions, leaseMs } = this.settings;
    const live = await this.outbox.heartbeat(this.id, leaseMs);
    const share = Math.ceil(partitions / live);
    for (const p of [...this.owned]) {
      if (!(await this.outbox.renew(p, this.id, leaseMs))) {
        this.owned.delete(p);
        this.logger.warn({ partition: p }, 'outbox partition lost (lease ran out)');
      }
    }
    const surplus = [...this.owned].sort((a, b) => b - a).slice(0, this.owned.size - share);
    for (const p of surplus) {
      // No new batch on it; the one in flight finishes (and deletes what it published) first,
      // so the next owner does not publish it again.
      this.owned.delete(p);
      await this.inFlight.get(p)?.catch(() => undefined);
      await this.outbox.release(p, this.id);
    }
    if (this.owned.size >= share) return;
    const start = Number.parseInt(this.id.slice(-8), 16) % partitions;
    for (let i = 0; i < partitions && this.owned.size < share; i++) {
      const p = (start + i) % partitions;
      if (!this.owned.has(p) && (await this.outbox.acquire(p, this.id, leaseMs))) {
        this.owned.add(p);
        this.due.add(p);
        this.publishAlarm.ring();
      }
    }
  }

  private async publishLoop(): Promise<void> {
    const moved = await this.outbox.migrateLegacy().catch((error: unknown) => {
      this.logger.warn({ err: messageOf(error) }, 'the old outbox list could not be migrated');
      return 0;
    });
    if (moved > 0) this.logger.info({ moved }, 'moved the old outbox list into its partitions');
    while (this.running) {
      const delay = await this.publishRound().catch((error: unknown) => {
        this.logger.warn({ err: messageOf(error) }, 'outbox relay failed');
        return RETRY_MS;
      });
      if (delay > 0 && !this.stopping) await this.publishAlarm.sleep(delay);
    }
  }

  /** One batch on every partition due; returns how long to wait before the next round. */
  private async publishRound(): Promise<number> {
    if (this.owned.size === 0) return IDLE_POLL_MS;
    if (!this.publisher.ready) return RETRY_MS;
    const results = await Promise.all(
      this.partitionsDue().map((p) => {
        const batch = this.publishBatch(p).then((result) => {
          if (result.more) this.due.add(p);
          return result;
        });
        this.inFlight.set(p, batch);
        return batch.finally(() => this.inFlight.delete(p));
      }),
    );
    if (results.some((r) => r.failed > 0) && !results.some((r) => r.published > 0)) {
      return RETRY_MS;
    }
    if (this.due.size > 0) return 0;
    return Math.max(0, IDLE_POLL_MS - (performance.now() - this.sweptAt));
  }

  /** Every partition held once per IDLE_POLL_MS; in between, those kicked or left with more. */
  private partitionsDue(): number[] {
    const now = performance.now();
    const sweep = now - this.sweptAt >= IDLE_POLL_MS;
    if (sweep) this.sweptAt = now;
    const due = sweep ? [...this.owned] : [...this.due].filter((p) => this.owned.has(p));
    this.due.clear();
    return due;
  }

  private async publishBatch(partition: number): Promise<BatchResult> {
    const stored = await this.outbox.read(partition, this.settings.batchSize);
    const batch: { stored: StoredEntry; entry: OutboxEntry }[] = [];
    const keys = new Set<string>();
    let later = 0;
    for (const item of stored) {
      if (keys.has(item.key)) {
        later += 1; // after the order's earlier event is confirmed
        continue;
      }
      keys.add(item.key);
      const parsed = parseEntry(item.entry);
      if (typeof parsed === 'string') await this.park(partition, item, parsed);
      else batch.push({ stored: item, entry: parsed });
    }
    const outcomes = await Promise.all(
      batch.map(async ({ stored: item, entry: { traceContext, ...event } }) => {
        try {
          // The PRODUCER span joins the trace of the POST /orders that wrote the entry.
          await withTraceContext(traceContext, () =>
            this.publisher.publish(event, { mandatory: true }),
          );
          return { item, status: 'fulfilled' as const };
        } catch (reason) {
          return { item, status: 'rejected' as const, reason };
        }
      }),
    );
    const confirmed: string[] = [];
    let failed = 0;
    let firstError: unknown;
    for (const outcome of outcomes) {
      const { item } = outcome;
      if (outcome.status === 'fulfilled') {
        confirmed.push(item.id);
        this.unroutable.delete(item.id);
        continue;
      }
      failed += 1;
      firstError ??= outcome.reason;
      if (outcome.reason instanceof UnroutableEvent)
        await this.onUnroutable(partition, item, outcome.reason);
    }
    if (failed > 0) {
      this.logger.warn(
        { partition, failed, err: messageOf(firstError) },
        'outbox publishes failed',
      );
    }
    if (!(await this.outbox.remove(partition, this.id, confirmed))) this.lost(partition);
    const more = stored.length >= this.settings.batchSize || later > 0 || failed > 0;
    return { published: confirmed.length, failed, more };
  }

  private async onUnroutable(partition: number, item: StoredEntry, error: UnroutableEvent) {
    const attempts = (this.unroutable.get(item.id) ?? 0) + 1;
    if (attempts < this.settings.unroutableAttempts) {
      this.unroutable.set(item.id, attempts);
      return;
    }
    this.unroutable.delete(item.id);
    await this.park(partition, item, `${error.message} (returned ${String(attempts)} times)`);
  }

  private async park(partition: number, item: StoredEntry, reason: string): Promise<void> {
    this.logger.error({ partition, id: item.id, reason }, 'outbox entry parked');
    if (!(await this.outbox.park(partition, this.id, item, reason))) this.lost(partition);
  }

  private lost(partition: number): void {
    if (this.owned.delete(partition))
      this.logger.warn({ partition }, 'outbox partition lost to another relay');
  }
}

/** The entry as an event, or why it is not one. */
function parseEntry(text: string): OutboxEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `malformed outbox entry: not JSON (${messageOf(error)})`;
  }
  const entry = value as Partial<OutgoingEvent> | null;
  const missing = (['routingKey', 'messageId', 'type'] as const).filter(
    (field) => typeof entry?.[field] !== 'string' || entry[field] === '',
  );
  if (entry === null || typeof entry !== 'object' || missing.length > 0) {
    return `malformed outbox entry: no ${missing.join(', ') || 'object'}`;
  }
  if (typeof entry.body !== 'object' || entry.body === null) {
    return 'malformed outbox entry: no body';
  }
  return entry as OutboxEntry;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
