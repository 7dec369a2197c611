import { InjectFault, parseInput } from '@junction/platform';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { type StockedItem } from '../../../domain/catalog';
import { InventoryService } from '../../../domain/inventory.service';
import { paddingOf } from '../reply-padding';
import { itemPathSchema, itemQuerySchema } from './inventory.schemas';

/** Public catalog, readable without a token. */
@Controller('inventory/items')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  async list(): Promise<{ items: StockedItem[] }> {
    return { items: await this.inventory.listItems() };
  }

  /** `?padding=N` (benchmarks) adds N filler bytes as `padding`, base64 as in proto3 JSON. */
  @Get(':sku')
  @InjectFault('getItem')
  async get(
    @Param() params: unknown,
    @Query() query: unknown,
  ): Promise<StockedItem & { padding?: string }> {
    const { sku } = parseInput(itemPathSchema, params, 'path');
    const { padding } = parseInput(itemQuerySchema, query, 'query');
    const item = await this.inventory.getItem(sku);
    return padding > 0 ? { ...item, padding: paddingOf(padding).toString('base64') } : item;
  }
}
