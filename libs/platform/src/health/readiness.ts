/**
 * Something this process cannot serve its own requests without (its Redis). Never a peer and
 * never the broker: those are observed (ObservedDependencies, `/statusz`), not required, or an
 * outage of one would take every replica of this service out of its Service.
 */
export interface DependencyCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly status: 'ready' | 'not_ready' | 'shutting_down';
  readonly checks: Record<string, { status: 'up' | 'down'; error?: string }>;
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
          await withTimeout(dependency.check(), CHECK_TIMEOUT_MS);
          return [dependency.name, { status: 'up' as const }] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [dependency.name, { status: 'down' as const, error: message }] as const;
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

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
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
