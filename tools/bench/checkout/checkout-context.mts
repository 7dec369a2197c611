// What the checkout parts of the bench share: the load generator and its users, the order ledger,
// the queue sampler, and the plan every run starts from.
import { CARDS } from '@junction/testkit';
import { type OrderLedger } from './order-ledger.mts';
import {
  type CheckoutMode,
  type Mix,
  type OpenLoopLoad,
  type OpenLoopPlan,
} from '../load/open-loop.mts';
import { type QueueDepthSampler } from './queue-depth.mts';
import { BENCH_SKU } from '../matrix/item-lookup.mts';
import { type CpuProbe } from '../run/cpu-cost.mts';

export interface CheckoutContext extends CpuProbe {
  readonly load: OpenLoopLoad;
  readonly ledger: OrderLedger;
  readonly sampler: QueueDepthSampler;
  readonly log: (line: string) => void;
  /** Names the part of the run that starts now (for the machine-load record). */
  readonly phase: (name: string) => void;
}

export function only(mode: CheckoutMode): Mix {
  return mode === 'blocking' ? { blocking: 1, queued: 0 } : { blocking: 0, queued: 1 };
}

/** One path at a fixed rate: approved cards and plenty of stock, so only load and faults matter. */
export function planFor(
  mode: CheckoutMode,
  ratePerSecond: number,
  durationMs: number,
): OpenLoopPlan {
  return {
    ratePerSecond,
    durationMs,
    mix: only(mode),
    sku: BENCH_SKU,
    paymentMethod: CARDS.approved,
    maxInFlight: 4_000,
    requestTimeoutMs: 30_000,
    watchTimeoutMs: 180_000,
  };
}
