// Closed-loop measurement: `concurrency` workers, each calling again as soon as its last call
// returned, for a fixed time after a warm-up. Right for "latency at N in flight" and for
// throughput; the checkout's load is open-loop instead (open-loop.mts).
import { performance } from 'node:perf_hooks';
import { Samples } from '../report/stats.mts';

export interface ClosedLoopOptions {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** A call slower than this counts as an error (so a lost reply cannot hang the run). */
  readonly timeoutMs?: number;
  /** Where the latencies go: pass the same one to several runs to pool them. */
  readonly samples?: Samples;
}

export interface ClosedLoopResult {
  readonly samples: Samples;
  readonly errors: number;
  readonly firstError?: string;
  /** Measured calls per second (calls started inside the measured window). */
  readonly throughput: number;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${String(ms)} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export async function closedLoop(
  call: () => Promise<unknown>,
  options: ClosedLoopOptions,
): Promise<ClosedLoopResult> {
  const samples = options.samples ?? new Samples();
  const before = samples.count;
  let errors = 0;
  let firstError: string | undefined;
  const measureFrom = performance.now() + options.warmupMs;
  const endAt = measureFrom + options.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < endAt) {
      const started = performance.now();
      try {
        await withTimeout(call(), options.timeoutMs ?? 10_000);
        if (started >= measureFrom) samples.add(performance.now() - started);
      } catch (error) {
        if (started < measureFrom) continue;
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    samples,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    throughput: Math.round(((samples.count - before) / options.durationMs) * 1000 * 10) / 10,
  };
}
