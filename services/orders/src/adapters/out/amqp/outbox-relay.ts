import { AppLogger, withTraceContext } from '@junction/platform';
import { EventPublisher } from '@junction/messaging';
import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Logger } from 'pino';
import { Outbox, type OutboxEntry } from '../redis/outbox';

const IDLE_POLL_MS = 500;
const RETRY_MS = 1_000;

/**
 * Publishes outbox entries in order, each with publisher confirms, and removes an entry only
 * once the broker has it. While RabbitMQ is down entries wait (the 202s were already sent);
 * they go out as soon as it is back. `kick` wakes the relay right after a new order.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly outbox: Outbox,
    private readonly publisher: EventPublisher,
    logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'outbox-relay' });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  kick(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const delay = await this.publishNext().catch((error: unknown) => {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'outbox relay failed',
        );
        return RETRY_MS;
      });
      if (delay > 0) await this.sleep(delay);
    }
  }

  /** Returns how long to wait before the next round (0 = go on at once). */
  private async publishNext(): Promise<number> {
    if (!this.publisher.ready) return RETRY_MS;
    const entry = await this.outbox.peek();
    if (entry === undefined) return IDLE_POLL_MS;
    const { traceContext, ...event } = JSON.parse(entry) as OutboxEntry;
    // The PRODUCER span joins the trace of the POST /orders that wrote the entry.
    await withTraceContext(traceContext, () => this.publisher.publish(event));
    await this.outbox.remove(entry);
    return 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
