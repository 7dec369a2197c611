import { mockOf } from '@junction/platform/testing';
import { type StockedItem } from './catalog';
import { InventoryService, mergeLines } from './inventory.service';
import { type StockStore } from './ports';
import { type Reservation, type ReservationLine } from './reservation';

function item(overrides: Partial<StockedItem> = {}): StockedItem {
  return { sku: 'JNC-MUG', name: 'Junction mug', priceCents: 1200, available: 10, ...overrides };
}

/** A StockStore whose catalog holds `items` and whose reserve always succeeds. */
function stockWith(items: readonly StockedItem[]) {
  const stock = mockOf<StockStore>();
  stock.findItem.mockImplementation((sku) =>
    Promise.resolve(items.find((candidate) => candidate.sku === sku)),
  );
  stock.reserve.mockImplementation(
    (orderId: string, lines: readonly ReservationLine[], totalCents: number) =>
      Promise.resolve<Reservation>({ orderId, status: 'reserved', lines, totalCents }),
  );
  return stock;
}

describe(InventoryService.name, () => {
  describe('reserve', () => {
    it('reserves one line per SKU, adding up duplicate lines', async () => {
      const service = new InventoryService(
        stockWith([item({ sku: 'JNC-MUG' }), item({ sku: 'JNC-CAP' })]),
      );
      const reservation = await service.reserve('order-1', [
        { sku: 'JNC-MUG', quantity: 1 },
        { sku: 'JNC-CAP', quantity: 2 },
        { sku: 'JNC-MUG', quantity: 3 },
      ]);
      expect(reservation.lines).toEqual([
        { sku: 'JNC-CAP', quantity: 2 },
        { sku: 'JNC-MUG', quantity: 4 },
      ]);
    });

    it('prices the order from the catalog, in cents', async () => {
      const service = new InventoryService(
        stockWith([
          item({ sku: 'JNC-MUG', priceCents: 1200 }),
          item({ sku: 'JNC-TEE', priceCents: 2500 }),
        ]),
      );
      const reservation = await service.reserve('order-2', [
        { sku: 'JNC-MUG', quantity: 2 },
        { sku: 'JNC-TEE', quantity: 1 },
        { sku: 'JNC-MUG', quantity: 1 },
      ]);
      expect(reservation).toMatchObject({ orderId: 'order-2', totalCents: 3 * 1200 + 2500 });
    });

    it('passes the rejection of the store through unchanged', async () => {
      const stock = stockWith([item()]);
      stock.reserve.mockResolvedValue({
        orderId: 'order-3',
        status: 'rejected',
        reason: 'out_of_stock',
        lines: [{ sku: 'JNC-MUG', quantity: 99 }],
        totalCents: 0,
      });
      const reservation = await new InventoryService(stock).reserve('order-3', [
        { sku: 'JNC-MUG', quantity: 99 },
      ]);
      expect(reservation).toMatchObject({ status: 'rejected', reason: 'out_of_stock' });
    });
  });

  describe('getItem', () => {
    it('returns the stocked item', async () => {
      const mug = item({ available: 7 });
      await expect(new InventoryService(stockWith([mug])).getItem(mug.sku)).resolves.toEqual(mug);
    });

    it('answers not_found for a SKU outside the catalog', async () => {
      await expect(new InventoryService(stockWith([])).getItem('JNC-NOPE')).rejects.toMatchObject({
        code: 'not_found',
        message: 'no item with SKU JNC-NOPE',
      });
    });
  });
});

describe(mergeLines.name, () => {
  it('adds up the quantities of lines with the same SKU', () => {
    expect(
      mergeLines([
        { sku: 'B', quantity: 1 },
        { sku: 'B', quantity: 2 },
        { sku: 'B', quantity: 3 },
      ]),
    ).toEqual([{ sku: 'B', quantity: 6 }]);
  });

  it('orders the lines by SKU, so two orders lock stock in the same order', () => {
    expect(
      mergeLines([
        { sku: 'JNC-TEE', quantity: 1 },
        { sku: 'JNC-CAP', quantity: 1 },
        { sku: 'JNC-MUG', quantity: 1 },
      ]).map((line) => line.sku),
    ).toEqual(['JNC-CAP', 'JNC-MUG', 'JNC-TEE']);
  });

  it('leaves the lines it was given untouched', () => {
    const lines = [
      { sku: 'A', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ];
    mergeLines(lines);
    expect(lines).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ]);
  });

  it('returns nothing for no lines', () => {
    expect(mergeLines([])).toEqual([]);
  });
});
