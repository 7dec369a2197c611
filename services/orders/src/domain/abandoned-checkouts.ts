import { AppLogger, Clock } from '@junction/platform';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OrdersConfig } from '../config';
import { CheckoutCompensation } from './checkout-compensation';
import { OrderStore } from './ports';

const SWEEP_EVERY_MS = 5_000;

/**
 * A blocking checkout lives in one orders process. If that process dies mid-checkout, its caller
 * got no answer and the order would stay pending with stock reserved (and maybe a charge). Every
 * replica sweeps such orders once they are older than any checkout can take: it undoes what may
 * have happened (release and refund are idempotent) and rejects the order as `interrupted`.
 */
@Injectable()
export class AbandonedCheckouts implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: ReturnType<AppLogger['child']>;

  constructor(
    private readonly store: OrderStore,
    private readonly compensation: CheckoutCompensation,
    private readonly clock: Clock,
    private readonly config: OrdersConfig,
    logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'abandoned-checkouts' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'sweep failed',
        );
      });
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Rejects every abandoned blocking checkout; returns how many it closed. */
  async sweep(now = this.clock.now()): Promise<number> {
    // Twice the longest a blocking checkout can take (its whole gRPC budget).
    const cutoff = new Date(now.getTime() - 2 * this.config.checkoutBudgetMs);
    let closed = 0;
    for (const orderId of await this.store.abandonedBlocking(cutoff)) {
      if (!(await this.compensation.undo(orderId))) continue; // a peer is down: next sweep
      if (await this.store.transition(orderId, 'rejected', 'interrupted')) closed += 1;
    }
    if (closed > 0) this.logger.warn({ closed }, 'rejected interrupted blocking checkouts');
    return closed;
  }
}
