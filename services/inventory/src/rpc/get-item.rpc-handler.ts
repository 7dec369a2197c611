import { inventoryV1 } from '@junction/contracts';
import { type RpcHandler } from '@junction/messaging';
import { Injectable } from '@nestjs/common';
import { type z } from 'zod';
import { InventoryService } from '../domain/inventory.service';
import { getItemSchema } from '../domain/inventory.schemas';

/**
 * AMQP request-reply adapter of GetItem (queue `inventory.rpc`, type `GetItem`): the request and
 * the reply are proto3 JSON of GetItemRequest / GetItemResponse, as events are. Same schema and
 * same domain call as the gRPC handler.
 */
@Injectable()
export class GetItemRpcHandler implements RpcHandler<typeof getItemSchema> {
  readonly method = 'GetItem';
  readonly schema = getItemSchema;

  constructor(private readonly inventory: InventoryService) {}

  async handle({ sku, paddingBytes }: z.output<typeof getItemSchema>): Promise<unknown> {
    return inventoryV1.GetItemResponse.toJSON(await this.inventory.getItem(sku, paddingBytes));
  }
}
