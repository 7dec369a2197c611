import { inventoryV1 } from '@junction/contracts';
import { type RpcHandler } from '@junction/messaging';
import { InjectFault } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { type z } from 'zod';
import { InventoryService } from '../../../domain/inventory.service';
import { getItemSchema } from '../grpc/inventory.schemas';
import { ReplyPadding } from '../reply-padding';

/**
 * AMQP request-reply adapter of GetItem (queue `inventory.rpc`, type `GetItem`): the request and
 * the reply are proto3 JSON of GetItemRequest / GetItemResponse, as events are. Same schema, same
 * domain call and same padding as the gRPC handler.
 */
@Injectable()
export class GetItemRpcHandler implements RpcHandler<typeof getItemSchema> {
  readonly method = 'GetItem';
  readonly schema = getItemSchema;

  constructor(
    private readonly inventory: InventoryService,
    private readonly padding: ReplyPadding,
  ) {}

  @InjectFault('getItem')
  async handle({ sku, paddingBytes }: z.output<typeof getItemSchema>): Promise<unknown> {
    const padding = this.padding.of(paddingBytes);
    const item = await this.inventory.getItem(sku);
    return inventoryV1.GetItemResponse.toJSON({ item, padding });
  }
}
