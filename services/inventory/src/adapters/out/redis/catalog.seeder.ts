import { AppLogger } from '@junction/platform';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SEED_CATALOG } from '../../../domain/catalog';
import { InventoryRepository } from './inventory.repository';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * Seeds the catalog at start; existing stock is kept (NX), so restarts do not refill it. A seed
 * that fails (Redis down at start) is logged and tried again with capped backoff until it works
 * or the service stops: an unseeded catalog would answer every order with "unknown SKU".
 */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: ReturnType<AppLogger['child']>;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly repository: InventoryRepository,
    logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'catalog-seeder' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.attempt(1);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private async attempt(attempt: number): Promise<void> {
    try {
      await this.repository.seed(SEED_CATALOG);
      if (attempt > 1) this.logger.info({ attempt }, 'catalog seeded');
    } catch (error) {
      if (this.stopped) return;
      const delayMs = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
      this.logger.warn(
        {
          attempt,
          retryInMs: delayMs,
          err: error instanceof Error ? error.message : String(error),
        },
        'seeding the catalog failed; retrying',
      );
      this.retry = setTimeout(() => void this.attempt(attempt + 1), delayMs);
    }
  }
}
