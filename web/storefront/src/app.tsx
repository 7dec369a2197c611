// The storefront's frame: the header with its navigation and session, and the page of the
// current route.
import { type ReactElement, useEffect, useState } from 'react';
import { whenSessionExpires } from './api/client.ts';
import { logOut } from './api/shop.ts';
import { useSession } from './auth.tsx';
import { cart, clearCart, countOf } from './cart.ts';
import { runs } from './checkout.ts';
import { useConfig } from './config.ts';
import { CartPage } from './pages/cart.tsx';
import { CatalogPage } from './pages/catalog.tsx';
import { CheckoutView } from './pages/checkout-view.tsx';
import { DemoPage } from './pages/demo.tsx';
import { LoginPage, RegisterPage } from './pages/login.tsx';
import { OrderPage } from './pages/order.tsx';
import { OrdersPage } from './pages/orders.tsx';
import { Page } from './components/page.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import { useStore } from './store.ts';

export function App() {
  const path = usePath();
  const session = useSession();
  const config = useConfig();
  const items = countOf(useStore(cart));
  const [flash, setFlash] = useState<string>();

  useEffect(() => {
    whenSessionExpires((message) => {
      setFlash(message);
      navigate(`/shop/login?next=${encodeURIComponent(window.location.pathname)}`);
    });
  }, []);

  // A login answers the message that asked for it.
  useEffect(() => {
    if (session !== undefined) setFlash(undefined);
  }, [session]);

  // The tab forgets everything at once, before auth answers: the page the session leaves re-renders
  // as soon as the tokens are gone, and must not find the cart or the checkout runs still stored.
  const logout = (): void => {
    void logOut();
    clearCart();
    runs.set({});
    sessionStorage.clear();
    setFlash(undefined);
    navigate('/shop/login');
  };

  return (
    <>
      <a className="skip" href="#main">
        Skip to the content
      </a>
      <header className="top">
        <Link to="/shop/" className="brand">
          Junction shop
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/shop/">Catalog</Link>
            </li>
            <li>
              <Link to="/shop/cart">Cart ({items})</Link>
            </li>
            {session === undefined ? null : (
              <li>
                <Link to="/shop/orders">Your orders</Link>
              </li>
            )}
            {config.demoPanel ? (
              <li>
                <Link to="/shop/demo">Demo panel</Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="account">
          {session === undefined ? (
            <>
              <Link to="/shop/login">Log in</Link> <Link to="/shop/register">Register</Link>
            </>
          ) : (
            <>
              <span className="who">{session.email === '' ? 'Signed in' : session.email}</span>{' '}
              <button type="button" className="secondary" onClick={logout}>
                Log out
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main">{route(path, flash, session !== undefined, config.demoPanel)}</main>
    </>
  );
}

function route(
  path: string,
  flash: string | undefined,
  signedIn: boolean,
  demoPanel: boolean,
): ReactElement {
  const needsLogin = (page: ReactElement) =>
    signedIn ? page : <LoginPage flash={flash ?? 'Log in to see this page.'} />;
  if (match('/shop', path) || match('/shop/', path)) return <CatalogPage />;
  if (match('/shop/cart', path)) return <CartPage />;
  if (match('/shop/login', path)) return <LoginPage flash={flash} />;
  if (match('/shop/register', path)) return <RegisterPage />;
  if (match('/shop/orders', path)) return needsLogin(<OrdersPage />);
  const order = match('/shop/orders/:id', path);
  if (order?.id !== undefined) return needsLogin(<OrderPage orderId={order.id} />);
  const checkout = match('/shop/checkout/:runId', path);
  if (checkout?.runId !== undefined) return <CheckoutView runId={checkout.runId} />;
  if (demoPanel && match('/shop/demo', path)) return <DemoPage />;
  return (
    <Page title="Not found">
      <p>
        There is no such page. <Link to="/shop/">Back to the catalog</Link>.
      </p>
    </Page>
  );
}
