import { AppLogger, Clock } from '@junction/platform';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OrdersConfig } from '../config';
import { CheckoutCompensation } from './checkout-compensation';
import { OrderStore } from './ports';

/** The longest pause between two sweeps; a short deadline is swept more often. */
const SWEEP_EVERY_MS = 5_000;
/** Orders looked at per page; a sweep reads a few pages, the rest wait for the next one. */
const PAGE = 100;
const PAGES_PER_SWEEP = 10;

export interface SweepOutcome {
  /** Orders this sweep rejected as `timeout` (claimed: no other replica did). */
  readonly timedOut: number;
  /** Orders whose compensation this sweep completed (its own claims and earlier ones). */
  readonly compensated: number;
}

/**
 * A queued order's saga can stall: a consumer down for long, a message parked, an event lost.
 * Every replica sweeps the queued orders still pending after QUEUED_ORDER_DEADLINE_MS. It first
 * *claims* one — rejects it as `timeout` in one atomic step that only one replica, and only while
 * the saga has not ended it, can win — and only then undoes what the saga may have done: release
 * the stock (leaving a tombstone, so a late Reserve takes nothing) and refund the payment (or
 * void the order, so a late Charge is refused). A claimed order stays listed to compensate until
 * both peers have answered, so an undo that cannot reach a peer is retried by a later sweep, by
 * whichever replica runs it, never forgotten. The saga's late outcomes then change nothing.
 */
@Injectable()
export class OverdueQueuedOrders implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private readonly logger: ReturnType<AppLogger['child']>;
  /** How often to sweep: a quarter of the deadline, between 100 ms and 5 s. */
  readonly sweepEveryMs: number;

  constructor(
    private readonly store: OrderStore,
    private readonly compensation: CheckoutCompensation,
    private readonly clock: Clock,
    private readonly config: OrdersConfig,
    logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'overdue-queued-orders' });
    const quarter = Math.floor(config.queuedOrderDeadlineMs / 4);
    this.sweepEveryMs = Math.min(SWEEP_EVERY_MS, Math.max(100, quarter));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepInBackground(), this.sweepEveryMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Times out the overdue queued orders, then compensates every claimed one it can. */
  async sweep(now = this.clock.now()): Promise<SweepOutcome> {
    const claimed = await this.claimOverdue(now);
    // Orders listed before the last sweep: their claimer had its chance, or a late capture came.
    const earlier = await this.store.toCompensate(new Date(now.getTime() - this.sweepEveryMs));
    let compensated = 0;
    let waiting = 0;
    for (const orderId of new Set([...claimed, ...earlier])) {
      if (!(await this.compensation.undo(orderId))) {
        waiting += 1; // a peer cannot be reached: a later sweep tries again
        continue;
      }
      await this.store.compensated(orderId, now);
      compensated += 1;
    }
    const outcome = { timedOut: claimed.length, compensated };
    // A timeout or an undo that cannot reach a peer is news; the backstop release of a declined
    // order (OrderService.paymentDeclined) is routine.
    if (claimed.length > 0 || waiting > 0)
      this.logger.warn({ ...outcome, waiting }, 'swept overdue queued orders');
    else if (compensated > 0) this.logger.debug(outcome, 'compensated rejected orders');
    return outcome;
  }

  /** Rejects as `timeout` every queued order pending since before the deadline that it wins. */
  private async claimOverdue(now: Date): Promise<string[]> {
    const cutoff = new Date(now.getTime() - this.config.queuedOrderDeadlineMs);
    const claimed: string[] = [];
    for (let page = 0; page < PAGES_PER_SWEEP; page++) {
      // Each id leaves the index when looked at (won, or ended by the saga meanwhile).
      const overdue = await this.store.overdueQueued(cutoff, PAGE);
      for (const orderId of overdue) {
        if (await this.store.rejectToCompensate(orderId, 'timeout', now)) claimed.push(orderId);
      }
      if (overdue.length < PAGE) break;
    }
    return claimed;
  }

  private async sweepInBackground(): Promise<void> {
    if (this.sweeping) return; // the last sweep still waits on a slow peer
    this.sweeping = true;
    try {
      await this.sweep();
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'sweep of overdue queued orders failed',
      );
    } finally {
      this.sweeping = false;
    }
  }
}
