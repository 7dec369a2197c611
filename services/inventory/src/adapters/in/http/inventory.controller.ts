import { InjectFault, Route, RouteInput, type RouteInputOf } from '@junction/platform';
import { Controller, Get } from '@nestjs/common';
import { type StockedItem } from '../../../domain/catalog';
import { InventoryService } from '../../../domain/inventory.service';
import { ReplyPadding } from '../reply-padding';
import { getItem, listItems } from './inventory.routes';

/** Public catalog, readable without a token. */
@Controller('inventory/items')
export class InventoryController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly padding: ReplyPadding,
  ) {}

  @Get()
  @Route(listItems)
  async list(): Promise<{ items: StockedItem[] }> {
    return { items: await this.inventory.listItems() };
  }

  /** `?padding=N` (benchmarks) adds N filler bytes as `padding`, base64 as in proto3 JSON. */
  @Get(':sku')
  @Route(getItem)
  @InjectFault('getItem')
  async get(
    @RouteInput() { params, query }: RouteInputOf<typeof getItem>,
  ): Promise<StockedItem & { padding?: string }> {
    const padding = this.padding.of(query.padding);
    const item = await this.inventory.getItem(params.sku);
    return padding.length > 0 ? { ...item, padding: padding.toString('base64') } : item;
  }
}
