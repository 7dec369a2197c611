import { FaultInjector } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { type StockedItem, InventoryRepository } from '../store/inventory.repository';
import { UnknownSku } from './inventory.errors';
import { paddingOf } from './item-padding';
import { type Reservation, type ReservationLine } from './reservation';

/** One item, and the filler bytes its reader asked for (benchmarks; empty otherwise). */
export interface ItemLookup {
  readonly item: StockedItem;
  readonly padding: Buffer;
}

/**
 * Inventory's domain operations, the same for every transport: the gRPC adapter (blocking
 * checkout) and the order.placed consumer (queued checkout) both call `reserve`.
 */
@Injectable()
export class InventoryService {
  constructor(
    private readonly repository: InventoryRepository,
    private readonly faults: FaultInjector = new FaultInjector(),
  ) {}

  listItems(): Promise<StockedItem[]> {
    return this.repository.listItems();
  }

  /** One item; REST, gRPC and AMQP request-reply all read it here. */
  async getItem(sku: string, paddingBytes = 0): Promise<ItemLookup> {
    await this.faults.inject('getItem');
    const item = await this.repository.findItem(sku);
    if (!item) throw new UnknownSku(sku);
    return { item, padding: paddingOf(paddingBytes) };
  }

  /** Reserves every line or none; rejects with out_of_stock or unknown_sku. Idempotent per order. */
  async reserve(orderId: string, lines: readonly ReservationLine[]): Promise<Reservation> {
    await this.faults.inject('reserve');
    const merged = mergeLines(lines);
    const items = await Promise.all(merged.map((line) => this.repository.findItem(line.sku)));
    const totalCents = merged.reduce(
      (sum, line, i) => sum + (items[i]?.priceCents ?? 0) * line.quantity,
      0,
    );
    return this.repository.reserve(orderId, merged, totalCents);
  }

  /** Returns the order's stock exactly once, however often it is called. */
  async release(orderId: string): Promise<Reservation> {
    await this.faults.inject('release');
    return this.repository.release(orderId);
  }
}

/** One line per SKU, so an order cannot pass the stock check twice with the same units. */
export function mergeLines(lines: readonly ReservationLine[]): ReservationLine[] {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sku, quantity]) => ({ sku, quantity }));
}
