// One order as the API has it: status, reason, lines, its history, and its trace (the
// checkout's trace when it was placed in this tab, else the one the API's traceresponse names).
import { order as readOrder } from '../api/shop.ts';
import { traceIdOf } from '../api/trace-context.ts';
import { formatPrice } from '../api/types.ts';
import { rememberedTraceOf } from '../checkout.ts';
import { ErrorMessage, Page } from '../components/page.tsx';
import { TraceView } from '../components/trace-view.tsx';
import { useLoad } from '../load.ts';

export function OrderPage({ orderId }: { readonly orderId: string }) {
  const loaded = useLoad(() => readOrder(orderId), orderId);
  const order = loaded.data?.order;
  const traceId = rememberedTraceOf(orderId) ?? traceIdOf(loaded.data?.traceresponse ?? null);
  return (
    <Page title="Order">
      <ErrorMessage message={loaded.error} />
      {order === undefined ? null : (
        <>
          <dl className="order">
            <dt>Order</dt>
            <dd>
              <code>{order.id}</code>
            </dd>
            <dt>Status</dt>
            <dd className={`status-${order.status}`} data-testid="order-status">
              {order.status}
              {order.reason === '' ? null : ` (${order.reason})`}
            </dd>
            <dt>Mode</dt>
            <dd>{order.mode}</dd>
            <dt>Total</dt>
            <dd>{formatPrice(order.totalCents)}</dd>
            <dt>Lines</dt>
            <dd>
              {order.lines.map((line) => `${String(line.quantity)} × ${line.sku}`).join(', ')}
            </dd>
          </dl>
          <h2>History</h2>
          <ol className="history">
            {order.history.map((step, index) => (
              <li key={index}>
                {step.status}
                {step.reason === '' ? null : ` (${step.reason})`}{' '}
                <span className="entry-time">
                  +{Math.max(0, Date.parse(step.at) - Date.parse(order.createdAt))} ms
                </span>
              </li>
            ))}
          </ol>
          <button type="button" className="secondary" onClick={loaded.reload}>
            Refresh
          </button>
        </>
      )}
      {traceId === undefined ? null : <TraceView traceId={traceId} />}
    </Page>
  );
}
