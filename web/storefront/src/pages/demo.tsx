// The demo panel (only with DEMO_PANEL=true): latency and errors injected into payment and
// inventory through the storefront server's /shop/api/faults, and "Run both", one blocking and
// one queued order of the same item placed at the same moment, their timelines side by side.
import { type SubmitEvent, useState } from 'react';
import { describeError } from '../api/errors.ts';
import {
  catalog,
  clearFaults,
  type FaultReport,
  type FaultService,
  faults,
  setFaults,
} from '../api/shop.ts';
import { useSession } from '../auth.tsx';
import { runs, startCheckout } from '../checkout.ts';
import { ErrorMessage, Notice, Page } from '../components/page.tsx';
import { Timeline } from '../components/timeline.tsx';
import { TraceView } from '../components/trace-view.tsx';
import { useLoad } from '../load.ts';
import { Link } from '../router.tsx';
import { useStore } from '../store.ts';

export function DemoPage() {
  return (
    <Page title="Demo panel">
      <p>
        Slow down or break payment and inventory, then watch what each checkout mode does about it.
      </p>
      <div className="faults">
        <FaultCard service="payment" />
        <FaultCard service="inventory" />
      </div>
      <RunBoth />
    </Page>
  );
}

function current(report: FaultReport | undefined): string {
  if (report === undefined) return '';
  const latency = report.runtime.latency_ms;
  const rate = report.runtime.error_rate;
  const parts = [
    latency === undefined ? undefined : `+${latency} ms latency`,
    rate === undefined ? undefined : `${String(Math.round(Number(rate) * 100))} % errors`,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? 'no faults set' : parts.join(', ');
}

function FaultCard({ service }: { readonly service: FaultService }) {
  const loaded = useLoad(() => faults(service), service);
  const [report, setReport] = useState<FaultReport>();
  const [latency, setLatency] = useState('0');
  const [rate, setRate] = useState('0');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const shown = report ?? loaded.data;

  const done = (next: FaultReport, what: string): void => {
    setReport(next);
    setError(undefined);
    setNotice(`${service}: ${what} (${current(next)})`);
  };
  const failed = (failure: unknown): void => {
    setError(describeError(failure));
  };
  const apply = (event: SubmitEvent): void => {
    event.preventDefault();
    setFaults(service, { latencyMs: Number(latency), errorRate: Number(rate) / 100 }).then(
      (next) => {
        done(next, 'faults set');
      },
      failed,
    );
  };
  const reset = (): void => {
    clearFaults(service).then((next) => {
      done(next, 'faults cleared');
    }, failed);
  };

  return (
    <form className="fault-card" onSubmit={apply} aria-labelledby={`faults-${service}`}>
      <h2 id={`faults-${service}`}>{service === 'payment' ? 'Payment' : 'Inventory'}</h2>
      <p data-testid={`faults-${service}-current`}>Now: {loaded.error ?? current(shown)}</p>
      <label htmlFor={`latency-${service}`}>+N ms latency</label>
      <input
        id={`latency-${service}`}
        type="number"
        min={0}
        max={600000}
        step={1}
        value={latency}
        onChange={(e) => {
          setLatency(e.target.value);
        }}
      />
      <label htmlFor={`rate-${service}`}>Error rate %</label>
      <input
        id={`rate-${service}`}
        type="number"
        min={0}
        max={100}
        step={1}
        value={rate}
        onChange={(e) => {
          setRate(e.target.value);
        }}
      />
      <div className="buttons">
        <button type="submit">Apply to {service}</button>
        <button type="button" className="secondary" onClick={reset}>
          Reset {service}
        </button>
      </div>
      <ErrorMessage message={error} />
      <Notice message={notice} />
    </form>
  );
}

function RunBoth() {
  const session = useSession();
  const all = useStore(runs);
  const [pair, setPair] = useState<readonly [string, string]>();
  const [error, setError] = useState<string>();
  const run = (): void => {
    setError(undefined);
    catalog().then(
      (items) => {
        const item = items.find((candidate) => candidate.available > 0);
        if (item === undefined) {
          setError('Nothing is in stock.');
          return;
        }
        const lines = [{ sku: item.sku, quantity: 1 }];
        // Both requests leave in the same tick: the difference is the modes', not the clock's.
        setPair([
          startCheckout({ mode: 'blocking', lines, paymentMethod: 'pm_card_ok' }),
          startCheckout({ mode: 'queued', lines, paymentMethod: 'pm_card_ok' }),
        ]);
      },
      (failure: unknown) => {
        setError(describeError(failure));
      },
    );
  };
  return (
    <section aria-labelledby="run-both">
      <h2 id="run-both">Run both</h2>
      <p>
        Places one blocking and one queued order of the first item in stock, at the same moment.
      </p>
      {session === undefined ? (
        <p>
          <Link to="/shop/login?next=/shop/demo">Log in to run both</Link>
        </p>
      ) : (
        <button type="button" onClick={run}>
          Run both
        </button>
      )}
      <ErrorMessage message={error} />
      {pair === undefined ? null : (
        <div className="side-by-side">
          {pair.map((id) => {
            const one = all[id];
            return one === undefined ? null : (
              <div key={id}>
                <Timeline run={one} />
                {one.traceId === undefined ? null : <TraceView traceId={one.traceId} />}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
