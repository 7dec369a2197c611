// The cart and the checkout: quantities, the total, the choice of checkout mode and card, and
// the button that places the order (then the checkout's live view).
import { type SubmitEvent, useState } from 'react';
import { catalog } from '../api/shop.ts';
import { type CheckoutMode, formatPrice, type PaymentMethod } from '../api/types.ts';
import { useSession } from '../auth.tsx';
import { cart, clearCart, linesOf, MAX_QUANTITY, setQuantity } from '../cart.ts';
import { startCheckout } from '../checkout.ts';
import { ErrorMessage, Page } from '../components/page.tsx';
import { useLoad } from '../load.ts';
import { Link, navigate } from '../router.tsx';
import { useStore } from '../store.ts';

export function CartPage() {
  const items = useLoad(catalog, 'catalog');
  const current = useStore(cart);
  const session = useSession();
  const [mode, setMode] = useState<CheckoutMode>('blocking');
  const [card, setCard] = useState<PaymentMethod>('pm_card_ok');
  const lines = linesOf(current);
  const priceOf = (sku: string): number | undefined =>
    items.data?.find((item) => item.sku === sku)?.priceCents;
  const nameOf = (sku: string): string => items.data?.find((item) => item.sku === sku)?.name ?? sku;
  const total = lines.reduce((sum, line) => sum + (priceOf(line.sku) ?? 0) * line.quantity, 0);

  const placeOrder = (event: SubmitEvent): void => {
    event.preventDefault();
    const runId = startCheckout({ mode, lines, paymentMethod: card }, clearCart);
    navigate(`/shop/checkout/${runId}`);
  };

  return (
    <Page title="Cart">
      <ErrorMessage message={items.error} />
      {lines.length === 0 ? (
        <p>
          Your cart is empty. <Link to="/shop/">Browse the catalog</Link>.
        </p>
      ) : (
        <>
          <table className="cart">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Quantity</th>
                <th scope="col">Price</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.sku}>
                  <th scope="row">{nameOf(line.sku)}</th>
                  <td>
                    <label className="visually-hidden" htmlFor={`quantity-${line.sku}`}>
                      Quantity of {nameOf(line.sku)}
                    </label>
                    <input
                      id={`quantity-${line.sku}`}
                      type="number"
                      min={1}
                      max={MAX_QUANTITY}
                      value={line.quantity}
                      onChange={(event) => {
                        setQuantity(line.sku, Number(event.target.value));
                      }}
                    />
                  </td>
                  <td>{formatPrice((priceOf(line.sku) ?? 0) * line.quantity)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Remove ${nameOf(line.sku)}`}
                      onClick={() => {
                        setQuantity(line.sku, 0);
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td />
                <td data-testid="cart-total">{formatPrice(total)}</td>
                <td />
              </tr>
            </tfoot>
          </table>

          <form className="checkout" onSubmit={placeOrder}>
            <h2>Checkout</h2>
            <fieldset>
              <legend>Checkout mode</legend>
              {MODES.map((option) => (
                <Choice
                  key={option.value}
                  group="mode"
                  {...option}
                  checked={mode === option.value}
                  onChoose={() => {
                    setMode(option.value);
                  }}
                />
              ))}
            </fieldset>
            <fieldset>
              <legend>Card</legend>
              {CARDS.map((option) => (
                <Choice
                  key={option.value}
                  group="card"
                  {...option}
                  checked={card === option.value}
                  onChoose={() => {
                    setCard(option.value);
                  }}
                />
              ))}
            </fieldset>
            {session === undefined ? (
              <p>
                <Link to="/shop/login?next=/shop/cart">Log in to check out</Link>
              </p>
            ) : (
              <button type="submit">Place order</button>
            )}
          </form>
        </>
      )}
    </Page>
  );
}

const MODES: readonly { value: CheckoutMode; label: string; what: string }[] = [
  {
    value: 'blocking',
    label: 'Blocking',
    what: 'One request that waits for inventory and payment and answers with the final order.',
  },
  {
    value: 'queued',
    label: 'Queued',
    what: 'Accepted at once; inventory and payment follow in the background and the status arrives live.',
  },
];

const CARDS: readonly { value: PaymentMethod; label: string; what: string }[] = [
  { value: 'pm_card_ok', label: 'A card that approves', what: 'pm_card_ok' },
  { value: 'pm_card_declined', label: 'A card that declines', what: 'pm_card_declined' },
];

/** A radio button named by its short label, its longer explanation as its description. */
function Choice(props: {
  readonly group: string;
  readonly value: string;
  readonly label: string;
  readonly what: string;
  readonly checked: boolean;
  readonly onChoose: () => void;
}) {
  const id = `${props.group}-${props.value}`;
  return (
    <div className="choice">
      <input
        type="radio"
        id={id}
        name={props.group}
        value={props.value}
        checked={props.checked}
        aria-describedby={`${id}-what`}
        onChange={props.onChoose}
      />{' '}
      <label htmlFor={id}>{props.label}</label>
      <span aria-hidden="true"> — </span>
      <span id={`${id}-what`} className="choice-what">
        {props.what}
      </span>
    </div>
  );
}
