// Waiting, bounded, for the system to be where the next measurement needs it: the queued path
// settled (every accepted order terminal in Redis, the saga's queues empty), every order in
// Redis terminal, or the blocking path healthy again after a fault.
import { setTimeout as sleep } from 'node:timers/promises';
import { type CheckoutContext, planFor } from './checkout-context.mts';
import { type LedgerCount, type OrderLedger } from './order-ledger.mts';
import { type QueueDepthSampler } from './queue-depth.mts';

export interface Settled {
  /** ms from the call until settled (or until the timeout). */
  readonly ms: number;
  readonly settled: boolean;
  readonly ledger: LedgerCount;
}

export async function awaitSettled(
  ledger: OrderLedger,
  sampler: QueueDepthSampler,
  orderIds: readonly string[],
  timeoutMs: number,
): Promise<Settled> {
  const start = Date.now();
  for (;;) {
    const count = await ledger.count(orderIds);
    const depths = Object.values(await sampler.depths());
    const settled = count.notTerminal === 0 && depths.every((depth) => depth === 0);
    const ms = Date.now() - start;
    if (settled || ms > timeoutMs) return { ms, settled, ledger: count };
    await sleep(200);
  }
}

/**
 * Until no order in Redis is pending — including those whose client got an error (a blocking
 * checkout answered 503 is closed by orders' sweeper of interrupted checkouts, seconds later).
 */
export async function awaitAllTerminal(
  ledger: OrderLedger,
  timeoutMs: number,
): Promise<{ readonly ms: number; readonly byStatus: Record<string, number> }> {
  const start = Date.now();
  for (;;) {
    const byStatus = await ledger.all();
    const ms = Date.now() - start;
    if (!byStatus.pending || ms > timeoutMs) return { ms, byStatus };
    await sleep(500);
  }
}

/** Until a blocking checkout is confirmed again (the peers and orders' circuit breakers are up). */
export async function awaitHealthy(context: CheckoutContext, timeoutMs: number): Promise<number> {
  const start = Date.now();
  const plan = planFor('blocking', 1, 1);
  for (;;) {
    const placement = await context.load.complete('blocking', plan);
    const ms = Date.now() - start;
    if (placement.finalStatus === 'confirmed') return ms;
    if (ms > timeoutMs)
      throw new Error(`no blocking checkout confirmed within ${String(timeoutMs)} ms`);
    await sleep(250);
  }
}
