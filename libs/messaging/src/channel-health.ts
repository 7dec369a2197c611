import { type Logger } from 'pino';

/** open: working; recovering: closed under us and being opened again; stopped: on purpose. */
export type ChannelState = 'opening' | 'open' | 'recovering' | 'stopped';

export interface ChannelReport {
  readonly state: ChannelState;
  /** When `state` last changed (ISO 8601). */
  readonly since: string;
  /** How many times it was opened again after a failure. */
  readonly recoveries: number;
  readonly lastFailure?: { readonly at: string; readonly error: string };
}

/**
 * What one channel user (the publisher, a consumer, the RPC server) observed about its channel,
 * for `/statusz` (under `rabbitmq.channels`) and the log: each failure is a warning, each
 * recovery an info line, so a consumer is never silently gone. It never fails readiness.
 */
export class ChannelHealth {
  private state: ChannelState = 'opening';
  private since = new Date();
  private recoveries = 0;
  private lastFailure: { at: Date; error: string } | undefined;

  constructor(
    readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** The channel is open (again): a recovery when it was recovering. */
  opened(): void {
    if (this.state === 'recovering') {
      this.recoveries += 1;
      this.logger.info({ channel: this.name, recoveries: this.recoveries }, 'channel recovered');
    }
    this.moveTo('open');
  }

  /** The channel failed (closed by the broker, a confirm that never came...): reopening. */
  failed(error: string): void {
    this.lastFailure = { at: new Date(), error };
    if (this.state !== 'recovering') {
      this.logger.warn({ channel: this.name, err: error }, 'channel failed; opening it again');
    }
    this.moveTo('recovering');
  }

  /** Reopening did not work this time (it goes on with backoff). */
  retryFailed(error: string): void {
    this.lastFailure = { at: new Date(), error };
    this.logger.warn({ channel: this.name, err: error }, 'opening the channel again failed');
  }

  stopped(): void {
    this.moveTo('stopped');
  }

  get current(): ChannelState {
    return this.state;
  }

  report(): ChannelReport {
    return {
      state: this.state,
      since: this.since.toISOString(),
      recoveries: this.recoveries,
      ...(this.lastFailure
        ? { lastFailure: { at: this.lastFailure.at.toISOString(), error: this.lastFailure.error } }
        : {}),
    };
  }

  private moveTo(state: ChannelState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = new Date();
  }
}
