import { inventoryV1 } from '@junction/contracts';
import { GrpcClient, ObservedDependencies } from '@junction/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { OrdersConfig } from '../config';
import { type OrderLine } from '../domain/order';

export type ReservationOutcome =
  | { readonly reserved: true; readonly totalCents: number }
  | { readonly reserved: false; readonly reason: string };

/** Orders' gRPC client of inventory (blocking path), with a deadline on every call. */
@Injectable()
export class InventoryClient implements OnApplicationShutdown {
  private readonly client: GrpcClient<typeof inventoryV1.InventoryServiceService>;

  constructor(config: OrdersConfig, observed: ObservedDependencies) {
    const target = config.inventoryGrpcTarget;
    this.client = new GrpcClient('inventory', inventoryV1.InventoryServiceService, target, {
      deadlineMs: config.grpcDeadlineMs,
      observed,
      // Retries only the methods topology.yaml marks idempotent.
    });
  }

  async reserve(orderId: string, lines: readonly OrderLine[]): Promise<ReservationOutcome> {
    const { reservation } = await this.client.call.reserve({ orderId, lines: [...lines] });
    if (reservation?.status === inventoryV1.ReservationStatus.RESERVATION_STATUS_RESERVED) {
      return { reserved: true, totalCents: reservation.totalCents };
    }
    return { reserved: false, reason: reservation?.reason || 'released' };
  }

  async release(orderId: string): Promise<void> {
    await this.client.call.release({ orderId });
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
