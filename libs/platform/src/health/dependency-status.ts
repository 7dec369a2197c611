/** What kind of connection a dependency is, so a reader of /statusz knows what its fields mean. */
export type DependencyKind = 'redis' | 'grpc' | 'amqp' | 'jwks';

/** Up: the last real call or connection event worked. Unknown: nothing observed yet. */
export type DependencyState = 'up' | 'down' | 'unknown';

/** Facts about one observation (the gRPC method and its status code, a connection event...). */
export type ObservationDetail = Readonly<Record<string, string>>;

export interface DependencyReport {
  readonly kind: DependencyKind;
  readonly state: DependencyState;
  /** When `state` last changed (ISO 8601); absent while unknown. */
  readonly since?: string;
  /** The latest observation, good or bad. */
  readonly last?: { readonly at: string; readonly ok: boolean } & Readonly<Record<string, unknown>>;
  readonly lastSuccessAt?: string;
  readonly lastFailure?: { readonly at: string; readonly error: string };
  /** Anything else the adapter reads at report time, without calling out (e.g. connectivity). */
  readonly [live: string]: unknown;
}

/** Called when a dependency's state changes (the registry logs it). */
export type StateChangeListener = (status: DependencyStatus, previous: DependencyState) => void;

/**
 * What this process has observed about one dependency on its real calls and connections. An
 * adapter reports into it (`succeeded` / `failed`); it never calls the dependency itself, so
 * reading it costs nothing and cannot make a peer look busier or a mesh rule necessary.
 */
export class DependencyStatus {
  private current: DependencyState = 'unknown';
  private changedAt: Date | undefined;
  private last: DependencyReport['last'];
  private lastSuccessAt: Date | undefined;
  private lastFailure: { at: Date; error: string } | undefined;

  constructor(
    readonly name: string,
    readonly kind: DependencyKind,
    private readonly onChange: StateChangeListener = () => undefined,
    private readonly live: () => Readonly<Record<string, unknown>> = () => ({}),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get state(): DependencyState {
    return this.current;
  }

  /** The dependency answered (or connected). */
  succeeded(detail: ObservationDetail = {}): void {
    const at = this.clock();
    this.lastSuccessAt = at;
    this.last = { ...detail, at: at.toISOString(), ok: true };
    this.moveTo('up', at);
  }

  /** The dependency did not answer, answered with a failure of its own, or dropped us. */
  failed(error: unknown, detail: ObservationDetail = {}): void {
    const at = this.clock();
    const message = messageOf(error);
    this.lastFailure = { at, error: message };
    this.last = { ...detail, error: message, at: at.toISOString(), ok: false };
    this.moveTo('down', at);
  }

  report(): DependencyReport {
    return {
      ...this.live(),
      kind: this.kind,
      state: this.current,
      ...(this.changedAt ? { since: this.changedAt.toISOString() } : {}),
      ...(this.last ? { last: this.last } : {}),
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt.toISOString() } : {}),
      ...(this.lastFailure
        ? { lastFailure: { at: this.lastFailure.at.toISOString(), error: this.lastFailure.error } }
        : {}),
    };
  }

  /** The latest failure's message, or undefined if there was none. */
  get lastError(): string | undefined {
    return this.lastFailure?.error;
  }

  private moveTo(state: DependencyState, at: Date): void {
    if (state === this.current) return;
    const previous = this.current;
    this.current = state;
    this.changedAt = at;
    this.onChange(this, previous);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}
