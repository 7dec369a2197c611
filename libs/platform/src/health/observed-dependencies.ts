import { type Logger } from 'pino';
import {
  type DependencyKind,
  type DependencyReport,
  type DependencyState,
  DependencyStatus,
} from './dependency-status';

export interface TrackOptions {
  /** Fields read at report time from the adapter's own state, never by calling out. */
  readonly live?: () => Readonly<Record<string, unknown>>;
}

/**
 * The process's registry of what it observed about its dependencies: gRPC peers, the broker,
 * the JWKS endpoint, Redis. Adapters `track` theirs and report every real call or connection
 * event into the status they get back; `/statusz` shows the lot, and one log line marks each
 * change (down, up again). Nothing here decides readiness: peers and the broker are diagnostics.
 */
export class ObservedDependencies {
  private readonly statuses = new Map<string, DependencyStatus>();
  private shuttingDown = false;

  constructor(
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The status of `name`, created on first use (one per dependency, however many adapters). */
  track(name: string, kind: DependencyKind, options: TrackOptions = {}): DependencyStatus {
    const existing = this.statuses.get(name);
    if (existing) return existing;
    const status = new DependencyStatus(
      name,
      kind,
      (changed, previous) => {
        this.logChange(changed, previous);
      },
      options.live,
      this.clock,
    );
    this.statuses.set(name, status);
    return status;
  }

  /** Connections closed on purpose while stopping are not outages: stop logging changes. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  report(): Record<string, DependencyReport> {
    const sorted = [...this.statuses.values()].sort((a, b) => a.name.localeCompare(b.name));
    return Object.fromEntries(sorted.map((status) => [status.name, status.report()]));
  }

  private logChange(status: DependencyStatus, previous: DependencyState): void {
    if (this.shuttingDown) return;
    const fields = { dependency: status.name, kind: status.kind, previous };
    if (status.state === 'down') {
      this.logger.warn(
        { ...fields, err: status.lastError },
        `${status.name} is down: ${status.lastError ?? 'no reason given'}`,
      );
    } else if (previous === 'down') {
      this.logger.info(fields, `${status.name} is up again`);
    } else {
      this.logger.debug(fields, `${status.name} is up`);
    }
  }
}
