import { mockOf } from '@junction/platform/testing';
import { type InventoryRepository, type StockedItem } from '../store/inventory.repository';
import { InventoryService, mergeLines } from './inventory.service';
import { type Reservation, type ReservationLine } from './reservation';

function item(overrides: Partial<StockedItem> = {}): StockedItem {
  return { sku: 'JNC-MUG', name: 'Junction mug', priceCents: 1200, available: 10, ...overrides };
}

/** A repository whose catalog holds `items` and whose reserve always succeeds. */
function repositoryWith(items: readonly StockedItem[]) {
  const repository = mockOf<InventoryRepository>();
  repository.findItem.mockImplementation((sku) =>
    Promise.resolve(items.find((candidate) => candidate.sku === sku)),
  );
  repository.reserve.mockImplementation(
    (orderId: string, lines: readonly ReservationLine[], totalCents: number) =>
      Promise.resolve<Reservation>({ orderId, status: 'reserved', lines, totalCents }),
  );
  return repository;
}

describe(InventoryService.name, () => {
  describe('reserve', () => {
    it('reserves one line per SKU, adding up duplicate lines', async () => {
      const service = new InventoryService(
        repositoryWith([item({ sku: 'JNC-MUG' }), item({ sku: 'JNC-CAP' })]),
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
        repositoryWith([
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
      const repository = repositoryWith([item()]);
      repository.reserve.mockResolvedValue({
        orderId: 'order-3',
        status: 'rejected',
        reason: 'out_of_stock',
        lines: [{ sku: 'JNC-MUG', quantity: 99 }],
        totalCents: 0,
      });
      const reservation = await new InventoryService(repository).reserve('order-3', [
        { sku: 'JNC-MUG', quantity: 99 },
      ]);
      expect(reservation).toMatchObject({ status: 'rejected', reason: 'out_of_stock' });
    });
  });

  describe('getItem', () => {
    it('returns the stocked item, unpadded', async () => {
      const mug = item({ available: 7 });
      const lookup = await new InventoryService(repositoryWith([mug])).getItem(mug.sku);
      expect(lookup.item).toEqual(mug);
      expect(lookup.padding).toHaveLength(0);
    });

    it('pads the reply with exactly the bytes asked for', async () => {
      const service = new InventoryService(repositoryWith([item()]));
      for (const bytes of [64, 4096, 262_144]) {
        expect((await service.getItem('JNC-MUG', bytes)).padding).toHaveLength(bytes);
      }
    });

    it('answers not_found for a SKU outside the catalog', async () => {
      await expect(
        new InventoryService(repositoryWith([])).getItem('JNC-NOPE'),
      ).rejects.toMatchObject({ code: 'not_found', message: 'no item with SKU JNC-NOPE' });
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
