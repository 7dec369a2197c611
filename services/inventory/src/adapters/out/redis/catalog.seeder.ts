import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SEED_CATALOG } from '../../../domain/catalog';
import { InventoryRepository } from './inventory.repository';

/** Seeds the catalog at start; existing stock is kept (NX), so restarts do not refill it. */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  constructor(private readonly repository: InventoryRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.seed(SEED_CATALOG).catch(() => undefined);
  }
}
