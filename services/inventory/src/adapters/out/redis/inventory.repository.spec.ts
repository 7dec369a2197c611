import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { InventoryConfig } from '../../../config';
import { type CatalogItem } from '../../../domain/catalog';
import { InventoryRepository } from './inventory.repository';

const config = new InventoryConfig(InventoryConfig.env.parse({}));

type SeedItem = CatalogItem & { readonly stock: number };

let skuCount = 0;
function seedItem(overrides: Partial<SeedItem> = {}): SeedItem {
  skuCount += 1;
  return {
    sku: `SKU-${skuCount}`,
    name: `Item ${skuCount}`,
    priceCents: 500,
    stock: 10,
    ...overrides,
  };
}

const orderId = (): string => `order-${randomUUID()}`;

describe(InventoryRepository.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'inventory-repository' });
  });

  afterAll(async () => {
    await store.close();
  });

  async function stocked(...items: SeedItem[]): Promise<InventoryRepository> {
    const repository = new InventoryRepository(store.redis, config);
    await repository.seed(items);
    return repository;
  }

  async function available(repository: InventoryRepository, sku: string): Promise<number> {
    const item = await repository.findItem(sku);
    if (!item) throw new Error(`no item ${sku}`);
    return item.available;
  }

  describe('retention', () => {
    const retention = config.reservationRetentionSeconds;
    const expectRetained = async (id: string) => {
      const ttl = await store.redis.ttl(`reservation:${id}`);
      expect(ttl).toBeGreaterThan(retention - 60);
      expect(ttl).toBeLessThanOrEqual(retention);
    };

    it('expires a reservation, a rejection and a release the retention after they are written', async () => {
      const mug = seedItem({ stock: 1 });
      const repository = await stocked(mug);
      const [reserved, rejected, released] = [orderId(), orderId(), orderId()];
      await repository.reserve(reserved, [{ sku: mug.sku, quantity: 1 }], 500);
      await repository.reserve(rejected, [{ sku: mug.sku, quantity: 1 }], 500);
      await repository.release(released);
      for (const id of [reserved, rejected, released]) await expectRetained(id);
      await store.redis.expire(`reservation:${reserved}`, 60);
      await repository.release(reserved);
      await expectRetained(reserved);
    });

    it('keeps the catalog and the stock without expiry', async () => {
      const mug = seedItem();
      await stocked(mug);
      await expect(store.redis.ttl(`stock:${mug.sku}`)).resolves.toBe(-1);
      await expect(store.redis.ttl(`item:${mug.sku}`)).resolves.toBe(-1);
    });
  });

  describe('seed', () => {
    it('keeps the current stock when the catalog is seeded again', async () => {
      const mug = seedItem({ stock: 5 });
      const repository = await stocked(mug);
      await repository.reserve(orderId(), [{ sku: mug.sku, quantity: 2 }], 1000);
      await repository.seed([mug]);
      await expect(available(repository, mug.sku)).resolves.toBe(3);
    });
  });

  describe('reserve', () => {
    it('never oversells: 200 concurrent orders for 50 units reserve exactly 50', async () => {
      const item = seedItem({ stock: 50 });
      await stocked(item);
      // Several connections, so the calls really race at the server.
      const connections = Array.from({ length: 4 }, () => store.anotherConnection());
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          new InventoryRepository(connections[i % connections.length]!, config).reserve(
            orderId(),
            [{ sku: item.sku, quantity: 1 }],
            item.priceCents,
          ),
        ),
      );
      const reserved = outcomes.filter((r) => r.status === 'reserved');
      const rejected = outcomes.filter((r) => r.status === 'rejected');
      expect(reserved).toHaveLength(50);
      expect(rejected).toHaveLength(150);
      expect(new Set(rejected.map((r) => r.reason))).toEqual(new Set(['out_of_stock']));
      await expect(store.redis.get(`stock:${item.sku}`)).resolves.toBe('0');
    });

    it('has one effect when the same order is reserved twice', async () => {
      const item = seedItem({ stock: 10 });
      const repository = await stocked(item);
      const id = orderId();
      const first = await repository.reserve(id, [{ sku: item.sku, quantity: 3 }], 1500);
      const second = await repository.reserve(id, [{ sku: item.sku, quantity: 3 }], 1500);
      expect(second).toEqual(first);
      expect(first).toMatchObject({ status: 'reserved', totalCents: 1500 });
      await expect(available(repository, item.sku)).resolves.toBe(7);
    });

    it('takes every line or none', async () => {
      const plenty = seedItem({ stock: 10 });
      const scarce = seedItem({ stock: 1 });
      const repository = await stocked(plenty, scarce);
      const reservation = await repository.reserve(
        orderId(),
        [
          { sku: plenty.sku, quantity: 2 },
          { sku: scarce.sku, quantity: 2 },
        ],
        0,
      );
      expect(reservation).toMatchObject({ status: 'rejected', reason: 'out_of_stock' });
      await expect(available(repository, plenty.sku)).resolves.toBe(10);
      await expect(available(repository, scarce.sku)).resolves.toBe(1);
    });

    it('rejects a SKU that is not in the catalog', async () => {
      const repository = await stocked(seedItem());
      const reservation = await repository.reserve(
        orderId(),
        [{ sku: 'SKU-NOPE', quantity: 1 }],
        0,
      );
      expect(reservation).toMatchObject({
        status: 'rejected',
        reason: 'unknown_sku',
        totalCents: 0,
      });
    });

    it('can take the last unit', async () => {
      const item = seedItem({ stock: 2 });
      const repository = await stocked(item);
      const reservation = await repository.reserve(orderId(), [{ sku: item.sku, quantity: 2 }], 0);
      expect(reservation.status).toBe('reserved');
      await expect(available(repository, item.sku)).resolves.toBe(0);
    });
  });

  describe('release', () => {
    it('returns the stock exactly once, however often it is called', async () => {
      const item = seedItem({ stock: 10 });
      const repository = await stocked(item);
      const id = orderId();
      await repository.reserve(id, [{ sku: item.sku, quantity: 4 }], 2000);
      const releases = await Promise.all([repository.release(id), repository.release(id)]);
      await repository.release(id);
      expect(releases.map((r) => r.status)).toEqual(['released', 'released']);
      await expect(available(repository, item.sku)).resolves.toBe(10);
    });

    it('leaves a tombstone, so a reserve arriving after its release takes nothing', async () => {
      const item = seedItem({ stock: 10 });
      const repository = await stocked(item);
      const id = orderId();
      await expect(repository.release(id)).resolves.toMatchObject({ status: 'released' });
      const late = await repository.reserve(id, [{ sku: item.sku, quantity: 5 }], 2500);
      expect(late.status).toBe('released');
      await expect(available(repository, item.sku)).resolves.toBe(10);
    });

    it('gives nothing back for a rejected reservation', async () => {
      const item = seedItem({ stock: 1 });
      const repository = await stocked(item);
      const id = orderId();
      await repository.reserve(id, [{ sku: item.sku, quantity: 5 }], 0);
      await expect(repository.release(id)).resolves.toMatchObject({
        status: 'rejected',
        reason: 'out_of_stock',
      });
      await expect(available(repository, item.sku)).resolves.toBe(1);
    });
  });

  describe('listItems', () => {
    it('lists the catalog by SKU with the stock available', async () => {
      const [b, a] = [seedItem({ sku: 'LIST-B', stock: 2 }), seedItem({ sku: 'LIST-A', stock: 1 })];
      const repository = await stocked(b, a);
      const listed = (await repository.listItems()).filter((i) => i.sku.startsWith('LIST-'));
      expect(listed).toEqual([
        { sku: 'LIST-A', name: a.name, priceCents: a.priceCents, available: 1 },
        { sku: 'LIST-B', name: b.name, priceCents: b.priceCents, available: 2 },
      ]);
    });
  });
});
