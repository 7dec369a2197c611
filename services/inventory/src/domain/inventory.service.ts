import { Injectable } from '@nestjs/common';
import { type StockedItem } from './catalog';
import { UnknownSku } from './inventory.errors';
import { StockStore } from './ports';
import { type Reservation, type ReservationLine } from './reservation';

/**
 * Inventory's domain operations, the same for every transport: the gRPC adapter (blocking
 * checkout) and the order.placed consumer (queued checkout) both call `reserve`.
 */
@Injectable()
export class InventoryService {
  constructor(private readonly stock: StockStore) {}

  listItems(): Promise<StockedItem[]> {
    return this.stock.listItems();
  }

  /** One item; REST, gRPC and AMQP request-reply all read it here. */
  async getItem(sku: string): Promise<StockedItem> {
    const item = await this.stock.findItem(sku);
    if (!item) throw new UnknownSku(sku);
    return item;
  }

  /** Reserves every line or none; rejects with out_of_stock or unknown_sku. Idempotent per order. */
  async reserve(orderId: string, lines: readonly ReservationLine[]): Promise<Reservation> {
    const merged = mergeLines(lines);
    const items = await Promise.all(merged.map((line) => this.stock.findItem(line.sku)));
    const totalCents = merged.reduce(
      (sum, line, i) => sum + (items[i]?.priceCents ?? 0) * line.quantity,
      0,
    );
    return this.stock.reserve(orderId, merged, totalCents);
  }

  /** Returns the order's stock exactly once, however often it is called. */
  release(orderId: string): Promise<Reservation> {
    return this.stock.release(orderId);
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
