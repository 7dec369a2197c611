import { inventoryV1 } from '@junction/contracts';
import { parseInput } from '@junction/platform';
import { Controller } from '@nestjs/common';
import { InventoryService } from '../domain/inventory.service';
import { getItemSchema, releaseSchema, reserveSchema } from '../domain/inventory.schemas';
import { toReservationMessage } from './reservation.mapper';

/** gRPC adapter: parse, call one domain method, map. */
@Controller()
@inventoryV1.InventoryServiceControllerMethods()
export class InventoryGrpcController implements inventoryV1.InventoryServiceController {
  constructor(private readonly inventory: InventoryService) {}

  async getItem(request: inventoryV1.GetItemRequest): Promise<inventoryV1.GetItemResponse> {
    const { sku, paddingBytes } = parseInput(getItemSchema, request);
    return this.inventory.getItem(sku, paddingBytes);
  }

  async reserve(request: inventoryV1.ReserveRequest): Promise<inventoryV1.ReserveResponse> {
    const { orderId, lines } = parseInput(reserveSchema, request);
    return { reservation: toReservationMessage(await this.inventory.reserve(orderId, lines)) };
  }

  async release(request: inventoryV1.ReleaseRequest): Promise<inventoryV1.ReleaseResponse> {
    const { orderId } = parseInput(releaseSchema, request);
    return { reservation: toReservationMessage(await this.inventory.release(orderId)) };
  }
}
