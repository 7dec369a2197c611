// The signed-in person's orders, newest first.
import { myOrders } from '../api/shop.ts';
import { formatPrice } from '../api/types.ts';
import { ErrorMessage, Page } from '../components/page.tsx';
import { useLoad } from '../load.ts';
import { Link } from '../router.tsx';

export function OrdersPage() {
  const orders = useLoad(myOrders, 'orders');
  return (
    <Page title="Your orders">
      <ErrorMessage message={orders.error} />
      {orders.loading && orders.data === undefined ? <p>Loading your orders…</p> : null}
      {orders.data?.length === 0 ? (
        <p>
          No orders yet. <Link to="/shop/">Browse the catalog</Link>.
        </p>
      ) : null}
      {orders.data !== undefined && orders.data.length > 0 ? (
        <table className="orders">
          <thead>
            <tr>
              <th scope="col">Placed</th>
              <th scope="col">Order</th>
              <th scope="col">Mode</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.map((order) => (
              <tr key={order.id}>
                <td>{new Date(order.createdAt).toLocaleString('en')}</td>
                <td>
                  <Link to={`/shop/orders/${order.id}`}>{order.id.slice(0, 8)}</Link>
                </td>
                <td>{order.mode}</td>
                <td className={`status-${order.status}`}>
                  {order.status}
                  {order.reason === '' ? null : ` (${order.reason})`}
                </td>
                <td>{formatPrice(order.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <button type="button" className="secondary" onClick={orders.reload}>
          Refresh
        </button>
      </p>
    </Page>
  );
}
