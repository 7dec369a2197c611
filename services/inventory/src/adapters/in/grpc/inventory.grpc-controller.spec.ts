import { mockOf } from '@junction/platform/testing';
import { type InventoryConfig } from '../../../config';
import { type InventoryService } from '../../../domain/inventory.service';
import { MAX_PADDING_BYTES, ReplyPadding } from '../reply-padding';
import { InventoryGrpcController } from './inventory.grpc-controller';

const mug = { sku: 'JNC-MUG', name: 'Junction mug', priceCents: 1200, available: 7 };

function controller(replyPaddingMaxBytes = MAX_PADDING_BYTES): InventoryGrpcController {
  const inventory = mockOf<InventoryService>();
  inventory.getItem.mockResolvedValue(mug);
  const padding = new ReplyPadding(mockOf<InventoryConfig>({ replyPaddingMaxBytes }));
  return new InventoryGrpcController(inventory, padding);
}

describe(InventoryGrpcController.name, () => {
  describe('getItem', () => {
    it('returns the stocked item, unpadded', async () => {
      const reply = await controller().getItem({ sku: 'JNC-MUG' });
      expect(reply.item).toEqual(mug);
      expect(reply.padding).toHaveLength(0);
    });

    it('pads the reply with exactly the bytes asked for', async () => {
      for (const paddingBytes of [64, 4096, 262_144]) {
        const reply = await controller().getItem({ sku: 'JNC-MUG', paddingBytes });
        expect(reply.padding).toHaveLength(paddingBytes);
      }
    });

    it('rejects a padding over 256 KiB with invalid_argument', async () => {
      await expect(
        controller().getItem({ sku: 'JNC-MUG', paddingBytes: 262_145 }),
      ).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it('rejects any padding with invalid_argument where REPLY_PADDING_MAX_BYTES is 0', async () => {
      await expect(controller(0).getItem({ sku: 'JNC-MUG', paddingBytes: 64 })).rejects.toThrow(
        /REPLY_PADDING_MAX_BYTES=0/,
      );
      expect((await controller(0).getItem({ sku: 'JNC-MUG' })).item).toEqual(mug);
    });
  });
});
