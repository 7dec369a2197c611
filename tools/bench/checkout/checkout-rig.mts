// The client side of the checkout runs, kept for the whole bench (it outlives a topology
// restart): the HTTP pools, registered shoppers, the load generator, the ledger and the sampler.
import { type BenchTopology } from '../bench-topology.mts';
import { type CheckoutContext } from './checkout-context.mts';
import { BENCH_RABBITMQ_URL, BENCH_REDIS_URL } from '../run/environment.mts';
import { BENCH_SKU } from '../matrix/item-lookup.mts';
import { HttpJson, OpenLoopLoad, Shopper } from '../load/open-loop.mts';
import { OrderLedger } from './order-ledger.mts';
import { QueueDepthSampler } from './queue-depth.mts';
import { type WatchedProcess } from '../run/process-cpu.mts';

const STOCK = 1_000_000_000;

/** Who the bench's load registers as. */
const BENCH_SHOPPER = { label: 'load', displayName: 'Load generator' };

export interface CheckoutRig extends CheckoutContext {
  /** The topology now running (after a restart, the new one): whose processes are watched. */
  attach(topology: BenchTopology): void;
  /** Another process to watch beside the services (the trace sink), or none. */
  watchAlso(extra: WatchedProcess | undefined): void;
  close(): Promise<void>;
}

export async function openCheckoutRig(
  topology: BenchTopology,
  users: number,
  log: (line: string) => void,
  phase: (name: string) => void,
): Promise<CheckoutRig> {
  const http = new HttpJson();
  const ledger = new OrderLedger(BENCH_REDIS_URL);
  await ledger.stock(BENCH_SKU, STOCK);
  const sampler = new QueueDepthSampler(BENCH_RABBITMQ_URL, BENCH_REDIS_URL);
  const targets = { authUrl: topology.url('auth'), ordersUrl: topology.url('orders') };
  const shoppers = await Promise.all(
    Array.from({ length: users }, () => Shopper.register(http, targets.authUrl, BENCH_SHOPPER)),
  );
  let running = topology;
  let extra: WatchedProcess | undefined;
  return {
    load: new OpenLoopLoad(http, targets, shoppers),
    attach: (next) => {
      running = next;
    },
    watchAlso: (process) => {
      extra = process;
    },
    processes: () => [...running.processes(), ...(extra ? [extra] : [])],
    eventLoops: () => running.eventLoops(),
    ledger,
    sampler,
    log,
    phase,
    close: async () => {
      http.close();
      ledger.close();
      await sampler.close();
    },
  };
}
