// A checkout's timeline: each step with its time since the click, the waiting step with a
// spinner. The list is a polite live region, so each new step is read out as it arrives.
import { type CheckoutRun } from '../checkout.ts';

export function Timeline({ run }: { readonly run: CheckoutRun }) {
  return (
    <section className="timeline" aria-labelledby={`timeline-${run.id}`}>
      <h2 id={`timeline-${run.id}`}>
        {run.mode === 'blocking' ? 'Blocking checkout' : 'Queued checkout'}
      </h2>
      <ol aria-live="polite" data-testid={`timeline-${run.mode}`}>
        {run.entries.map((entry, index) => (
          <li key={index} className={`entry entry-${entry.kind}`}>
            {entry.kind === 'waiting' ? <span className="spinner" aria-hidden="true" /> : null}
            <span className="entry-text">{entry.text}</span>
            {entry.timed === true ? null : <span className="entry-time"> +{entry.atMs} ms</span>}
          </li>
        ))}
      </ol>
      {run.finished && run.order !== undefined ? (
        <p className={`final final-${run.order.status}`} data-testid={`final-${run.mode}`}>
          Final status: <strong>{run.order.status}</strong>
          {run.order.reason === '' ? null : <> (reason: {run.order.reason})</>}
        </p>
      ) : null}
    </section>
  );
}
