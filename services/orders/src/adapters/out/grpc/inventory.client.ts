import { inventoryV1 } from '@junction/contracts';
import { type GrpcClient, ObservedDependencies } from '@junction/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { OrdersConfig } from '../../../config';
import { type OrderLine } from '../../../domain/order';
import { type ReservationOutcome, StockReserver } from '../../../domain/ports';
import { withinDeadline } from './deadline';
import { peerClient } from './peer-client';

/** Orders' gRPC client of inventory (blocking path), with a deadline on every call. */
@Injectable()
export class InventoryClient extends StockReserver implements OnApplicationShutdown {
  private readonly client: GrpcClient<typeof inventoryV1.InventoryServiceService>;

  constructor(config: OrdersConfig, observed: ObservedDependencies) {
    super();
    this.client = peerClient(
      'inventory',
      inventoryV1.InventoryServiceService,
      config.inventoryGrpcTarget,
      config,
      observed,
    );
  }

  async reserve(
    orderId: string,
    lines: readonly OrderLine[],
    deadline?: Date,
  ): Promise<ReservationOutcome> {
    const { reservation } = await withinDeadline(deadline, () =>
      this.client.call.reserve({ orderId, lines: [...lines] }),
    );
    if (reservation?.status === inventoryV1.ReservationStatus.RESERVATION_STATUS_RESERVED) {
      return { reserved: true, totalCents: reservation.totalCents };
    }
    return { reserved: false, reason: reservation?.reason || 'released' };
  }

  async release(orderId: string, deadline?: Date): Promise<void> {
    await withinDeadline(deadline, () => this.client.call.release({ orderId }));
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
