import { parseInput } from '@junction/platform';
import { Controller, Get, Param } from '@nestjs/common';
import { InventoryService } from '../domain/inventory.service';
import { getItemSchema } from '../domain/inventory.schemas';
import { type StockedItem } from '../store/inventory.repository';

/** Public catalog, readable without a token. */
@Controller('inventory/items')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  async list(): Promise<{ items: StockedItem[] }> {
    return { items: await this.inventory.listItems() };
  }

  @Get(':sku')
  get(@Param() params: unknown): Promise<StockedItem> {
    const { sku } = parseInput(getItemSchema, params, 'path');
    return this.inventory.getItem(sku);
  }
}
