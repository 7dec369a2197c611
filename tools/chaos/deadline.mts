// Orders' deadline for a stalled queued saga (QUEUED_ORDER_DEADLINE_MS), short in the scenarios
// that can lose a saga message, so that the run does not wait its 5 minutes for the deadline to
// end the stalled orders (as `timeout`: stock released, nothing captured — the books balance).
import { type Ledger } from './ledger.mts';

/** Longer than a healthy saga takes under the load. */
export const DEADLINE_MS = 8_000;
export const DEADLINE_ENV = { orders: { QUEUED_ORDER_DEADLINE_MS: String(DEADLINE_MS) } };

/** The orders the deadline ended. */
export function timedOut(ledger: Ledger): number {
  return [...ledger.orders.values()].filter(
    (o) => o.status === 'rejected' && o.reason === 'timeout',
  ).length;
}
