import { type StockedItem } from './catalog';
import { type PlacedOrder, type Reservation, type ReservationLine } from './reservation';

/** The catalog, its stock and the reservations against it, changed atomically. */
export abstract class StockStore {
  /** Every item, by SKU. */
  abstract listItems(): Promise<StockedItem[]>;
  abstract findItem(sku: string): Promise<StockedItem | undefined>;
  /**
   * Takes every line or none (rejected: out_of_stock or unknown_sku); a second call for the order
   * returns the first outcome, and an order released before takes nothing.
   */
  abstract reserve(
    orderId: string,
    lines: readonly ReservationLine[],
    totalCents: number,
  ): Promise<Reservation>;
  /** Returns the order's stock exactly once; an unknown order is marked released. */
  abstract release(orderId: string): Promise<Reservation>;
}

/** What inventory tells the rest of the queued checkout. */
export abstract class InventoryEvents {
  /** inventory.reserved, or inventory.rejected (also for an order released before). */
  abstract reservationDecided(order: PlacedOrder, reservation: Reservation): Promise<void>;
}
