/**
 * Something this process cannot serve its own requests without (its Redis). Never a peer and
 * never the broker: those are observed (ObservedDependencies, `/statusz`), not required, or an
 * outage of one would take every replica of this service out of its Service.
 */
export interface DependencyCheck {
  readonly name: string;
  /**
   * Resolves when the dependency answers; rejects (or times out) when it does not. It may
   * resolve with what it cannot do although it answers (Redis refusing writes): reported as
   * `degraded` beside `up`, without failing readiness.
   */
  check(): Promise<string | undefined>;
}

export interface CheckResult {
  readonly status: 'up' | 'down';
  readonly error?: string;
  /** Up, but something this process needs does not work (e.g. "refuses writes: OOM ..."). */
  readonly degraded?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly status: 'ready' | 'not_ready' | 'shutting_down';
  readonly checks: Record<string, CheckResult>;
}

const CHECK_TIMEOUT_MS = 1_000;

/**
 * Collects the readiness checks of a process (adapters register theirs when they open a
 * connection that the process needs to serve) and whether it is shutting down. `/readyz`
 * reports from here.
 */
export class Readiness {
  private readonly checks = new Map<string, DependencyCheck>();
  private shuttingDown = false;

  register(check: DependencyCheck): void {
    this.checks.set(check.name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (dependency) => {
        try {
          const degraded = await withTimeout(dependency.check(), CHECK_TIMEOUT_MS);
          const result: CheckResult = degraded ? { status: 'up', degraded } : { status: 'up' };
          return [dependency.name, result] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [dependency.name, { status: 'down', error: message }] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = {};
    for (const [name, result] of entries) checks[name] = result;
    const allUp = entries.every(([, result]) => result.status === 'up');
    const status = this.shuttingDown ? 'shutting_down' : allUp ? 'ready' : 'not_ready';
    return { ready: status === 'ready', status, checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}
