// One checkout, live: its timeline while it runs, then the order and its trace.
import { runs } from '../checkout.ts';
import { Page } from '../components/page.tsx';
import { Timeline } from '../components/timeline.tsx';
import { TraceView } from '../components/trace-view.tsx';
import { Link } from '../router.tsx';
import { useStore } from '../store.ts';

export function CheckoutView({ runId }: { readonly runId: string }) {
  const run = useStore(runs)[runId];
  if (run === undefined) {
    return (
      <Page title="Checkout">
        <p>
          This checkout is not open in this tab any more: see{' '}
          <Link to="/shop/orders">your orders</Link>.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Checkout">
      <Timeline run={run} />
      {run.order === undefined ? null : (
        <p>
          Order <Link to={`/shop/orders/${run.order.id}`}>{run.order.id}</Link>
        </p>
      )}
      {run.traceId === undefined ? null : <TraceView traceId={run.traceId} />}
    </Page>
  );
}
