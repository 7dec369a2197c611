import { inventoryV1 } from '@junction/contracts';
import { InjectFault, parseInput } from '@junction/platform';
import { Controller } from '@nestjs/common';
import { InventoryService } from '../../../domain/inventory.service';
import { ReplyPadding } from '../reply-padding';
import { getItemSchema, releaseSchema, reserveSchema } from './inventory.schemas';
import { toReservationMessage } from './reservation.mapper';

/** gRPC adapter: parse, call one domain method, map. */
@Controller()
@inventoryV1.InventoryServiceControllerMethods()
export class InventoryGrpcController implements inventoryV1.InventoryServiceController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly padding: ReplyPadding,
  ) {}

  /** `paddingBytes` (benchmarks) adds that many filler bytes to the reply as `padding`. */
  @InjectFault('getItem')
  async getItem(request: unknown): Promise<inventoryV1.GetItemResponse> {
    const { sku, paddingBytes } = parseInput(getItemSchema, request);
    const padding = this.padding.of(paddingBytes);
    return { item: await this.inventory.getItem(sku), padding };
  }

  @InjectFault('reserve')
  async reserve(request: unknown): Promise<inventoryV1.ReserveResponse> {
    const { orderId, lines } = parseInput(reserveSchema, request);
    return { reservation: toReservationMessage(await this.inventory.reserve(orderId, lines)) };
  }

  @InjectFault('release')
  async release(request: unknown): Promise<inventoryV1.ReleaseResponse> {
    const { orderId } = parseInput(releaseSchema, request);
    return { reservation: toReservationMessage(await this.inventory.release(orderId)) };
  }
}
