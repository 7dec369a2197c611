// What a measured stretch of the bench cost in CPU: per process (every service, RabbitMQ, Redis,
// the load generator, the trace sink), and per checkout for the processes a checkout counts
// (services, broker, store); with each service's event-loop utilisation over the same stretch.
import { type EventLoopReading, utilisation } from '../bench-topology.mts';
import {
  countedMs,
  cpuBetween,
  type CpuSpent,
  infrastructureProcesses,
  LOAD_GENERATOR,
  readCpu,
  type WatchedProcess,
} from './process-cpu.mts';

/** Where the processes of the moment are (the topology changes when it restarts). */
export interface CpuProbe {
  /** The services' processes (and, when running, the trace sink). */
  processes(): WatchedProcess[];
  eventLoops(): Promise<Record<string, EventLoopReading>>;
}

export interface CpuCost {
  readonly wallMs: number;
  /** CPU-ms each process spent. */
  readonly spent: CpuSpent;
  readonly checkouts: number;
  /** CPU-ms per checkout of each process (counted or not). */
  readonly perCheckout: Readonly<Record<string, number>>;
  /** Services + RabbitMQ + Redis, CPU-ms per checkout: what a checkout costs the system. */
  readonly countedMsPerCheckout: number;
  /** Each service's event-loop utilisation (0..1) over the stretch. */
  readonly eventLoop: Readonly<Record<string, number>>;
}

/** Runs `work` between two readings; `cost(checkouts)` divides what was spent among them. */
export async function measureCpu<T>(
  probe: CpuProbe,
  work: () => Promise<T>,
): Promise<{ value: T; cost: (checkouts: number) => CpuCost }> {
  const watched = [...probe.processes(), ...infrastructureProcesses(), LOAD_GENERATOR];
  const loopsBefore = await probe.eventLoops().catch(() => ({}));
  const before = readCpu(watched);
  const value = await work();
  const after = readCpu(watched);
  const loopsAfter: Record<string, EventLoopReading> = await probe.eventLoops().catch(() => ({}));
  const spent = cpuBetween(before, after);
  const eventLoop = Object.fromEntries(
    Object.entries(loopsAfter).flatMap(([name, reading]) => {
      const then = (loopsBefore as Record<string, EventLoopReading>)[name];
      return then ? [[name, utilisation(then, reading)]] : [];
    }),
  );
  return {
    value,
    cost: (checkouts) => costOf(spent, after.at - before.at, checkouts, eventLoop),
  };
}

export function costOf(
  spent: CpuSpent,
  wallMs: number,
  checkouts: number,
  eventLoop: Readonly<Record<string, number>> = {},
): CpuCost {
  const per = (ms: number): number =>
    checkouts > 0 ? Math.round((ms / checkouts) * 1000) / 1000 : Number.NaN;
  return {
    wallMs: Math.round(wallMs),
    spent,
    checkouts,
    perCheckout: Object.fromEntries(Object.entries(spent).map(([name, p]) => [name, per(p.ms)])),
    countedMsPerCheckout: per(countedMs(spent)),
    eventLoop,
  };
}
