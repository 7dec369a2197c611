import { parseInput } from '@junction/platform';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { InventoryService } from '../domain/inventory.service';
import { itemPathSchema, itemQuerySchema } from '../domain/inventory.schemas';
import { type StockedItem } from '../store/inventory.repository';

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
  async get(
    @Param() params: unknown,
    @Query() query: unknown,
  ): Promise<StockedItem & { padding?: string }> {
    const { sku } = parseInput(itemPathSchema, params, 'path');
    const { padding: paddingBytes } = parseInput(itemQuerySchema, query, 'query');
    const { item, padding } = await this.inventory.getItem(sku, paddingBytes);
    return padding.length > 0 ? { ...item, padding: padding.toString('base64') } : item;
  }
}
