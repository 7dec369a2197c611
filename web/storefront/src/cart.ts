// The cart: SKU → quantity, in sessionStorage so that it survives a reload of the tab.
import { type OrderLine } from './api/types.ts';
import { Store } from './store.ts';

const KEY = 'junction.cart';
export const MAX_QUANTITY = 100;

export type Cart = Readonly<Record<string, number>>;

function restore(): Cart {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Cart) : {};
  } catch {
    return {};
  }
}

export const cart = new Store<Cart>(restore());
cart.subscribe(() => {
  sessionStorage.setItem(KEY, JSON.stringify(cart.get()));
});

export function setQuantity(sku: string, quantity: number): void {
  cart.update((current) => {
    const rest = Object.fromEntries(Object.entries(current).filter(([other]) => other !== sku));
    return quantity <= 0 ? rest : { ...rest, [sku]: Math.min(quantity, MAX_QUANTITY) };
  });
}

export function addToCart(sku: string): void {
  setQuantity(sku, (cart.get()[sku] ?? 0) + 1);
}

export function clearCart(): void {
  cart.set({});
}

export function linesOf(current: Cart): OrderLine[] {
  return Object.entries(current).map(([sku, quantity]) => ({ sku, quantity }));
}

export function countOf(current: Cart): number {
  return Object.values(current).reduce((sum, quantity) => sum + quantity, 0);
}
