/** An item of the catalog. Prices are in cents, so no floating point touches money. */
export interface CatalogItem {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
}

/** An item with the stock still available to reserve. */
export interface StockedItem extends CatalogItem {
  readonly available: number;
}

/** The seeded catalog: a handful of SKUs, each with finite stock. */
export const SEED_CATALOG: readonly (CatalogItem & { readonly stock: number })[] = [
  { sku: 'JNC-MUG', name: 'Junction mug', priceCents: 1200, stock: 100 },
  { sku: 'JNC-TEE', name: 'Junction T-shirt', priceCents: 2500, stock: 50 },
  { sku: 'JNC-CAP', name: 'Junction cap', priceCents: 1800, stock: 40 },
  { sku: 'JNC-STICKER', name: 'Sticker pack', priceCents: 400, stock: 500 },
  { sku: 'JNC-HOODIE', name: 'Junction hoodie', priceCents: 5500, stock: 20 },
  { sku: 'JNC-LIMITED', name: 'Limited edition print', priceCents: 9900, stock: 3 },
];
