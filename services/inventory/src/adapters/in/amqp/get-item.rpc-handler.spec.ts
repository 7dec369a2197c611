import { mockOf } from '@junction/platform/testing';
import { type InventoryService } from '../../../domain/inventory.service';
import { type InventoryConfig } from '../../../config';
import { MAX_PADDING_BYTES, paddingOf, ReplyPadding } from '../reply-padding';
import { GetItemRpcHandler } from './get-item.rpc-handler';

const PADDING = new ReplyPadding(
  mockOf<InventoryConfig>({ replyPaddingMaxBytes: MAX_PADDING_BYTES }),
);
const mug = { sku: 'JNC-MUG', name: 'Junction mug', priceCents: 1200, available: 7 };

describe(GetItemRpcHandler.name, () => {
  describe('handle', () => {
    it('answers proto3 JSON of GetItemResponse, padding in base64', async () => {
      const inventory = mockOf<InventoryService>();
      inventory.getItem.mockResolvedValue(mug);
      const reply = await new GetItemRpcHandler(inventory, PADDING).handle({
        sku: 'JNC-MUG',
        paddingBytes: 3,
      });
      expect(reply).toEqual({ item: mug, padding: paddingOf(3).toString('base64') });
      expect(inventory.getItem).toHaveBeenCalledWith('JNC-MUG');
    });

    it('leaves an empty padding out, as proto3 JSON does', async () => {
      const inventory = mockOf<InventoryService>();
      inventory.getItem.mockResolvedValue(mug);
      const reply = await new GetItemRpcHandler(inventory, PADDING).handle({
        sku: 'JNC-MUG',
        paddingBytes: 0,
      });
      expect(reply).toEqual({ item: mug });
    });
  });
});
