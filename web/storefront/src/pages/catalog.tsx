// The catalog: every item with its price and stock, and a button to add it to the cart.
import { catalog } from '../api/shop.ts';
import { formatPrice } from '../api/types.ts';
import { addToCart, cart } from '../cart.ts';
import { ErrorMessage, Notice, Page } from '../components/page.tsx';
import { useLoad } from '../load.ts';
import { Link } from '../router.tsx';
import { useStore } from '../store.ts';
import { useState } from 'react';

export function CatalogPage() {
  const items = useLoad(catalog, 'catalog');
  const inCart = useStore(cart);
  const [notice, setNotice] = useState<string>();
  return (
    <Page title="Catalog">
      <ErrorMessage message={items.error} />
      {items.loading && items.data === undefined ? <p>Loading the catalog…</p> : null}
      <ul className="items">
        {(items.data ?? []).map((item) => (
          <li key={item.sku} className="item">
            <h2>{item.name}</h2>
            <p className="sku">{item.sku}</p>
            <p className="price">{formatPrice(item.priceCents)}</p>
            <p className={item.available > 0 ? 'stock' : 'stock stock-out'}>
              {item.available > 0 ? `${String(item.available)} in stock` : 'out of stock'}
            </p>
            <button
              type="button"
              disabled={item.available === 0}
              onClick={() => {
                addToCart(item.sku);
                setNotice(`${item.name} added to the cart.`);
              }}
            >
              Add to cart<span className="visually-hidden"> ({item.name})</span>
            </button>
            {inCart[item.sku] === undefined ? null : (
              <p className="in-cart">{inCart[item.sku]} in your cart</p>
            )}
          </li>
        ))}
      </ul>
      <Notice message={notice} />
      <p>
        <Link to="/shop/cart">Go to the cart</Link>
      </p>
    </Page>
  );
}
