import {
  type CallOptions,
  type Client,
  connectivityState,
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type ServiceDefinition,
  type ServiceError,
  status as grpcStatus,
} from '@grpc/grpc-js';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  retry,
  wrap,
} from 'cockatiel';
import { IDEMPOTENT_GRPC_METHODS } from '@junction/contracts';
import { DomainError, isDomainError } from '../errors/domain-error';
import { errorCodeOfGrpc } from '../errors/grpc-status';
import { type DependencyStatus } from '../health/dependency-status';
import { type ObservedDependencies } from '../health/observed-dependencies';
import { currentBudgetDeadline } from './call-budget';

/** The unary methods of a generated service definition, as promise-returning functions. */
type UnaryMethods<S> = {
  [K in keyof S]: S[K] extends {
    requestSerialize: (value: infer Req) => Buffer;
    responseDeserialize: (value: Buffer) => infer Res;
  }
    ? (request: Req) => Promise<Res>
    : never;
};

type UnaryCall = (
  request: unknown,
  metadata: Metadata,
  options: CallOptions,
  callback: (error: ServiceError | null, response?: unknown) => void,
) => void;

export interface GrpcClientOptions<S> {
  /**
   * Deadline of one attempt; shortened to the caller's remaining budget (withCallBudget). A retry
   * is made only when the budget still leaves it this whole deadline.
   */
  readonly deadlineMs: number;
  /**
   * Methods safe to retry (the same request twice has one effect), once, on `unavailable` or
   * DEADLINE_EXCEEDED; others are never retried. Default: the ones topology.yaml marks
   * idempotent for this service (IDEMPOTENT_GRPC_METHODS).
   */
  readonly idempotentMethods?: readonly (keyof S & string)[];
  readonly maxMessageBytes?: number;
  /** Consecutive `unavailable` failures that open the circuit, and how long it stays open. */
  readonly breaker?: { readonly failures: number; readonly openMs: number };
  /** Calls in flight to this peer at once, and how many more may wait; the rest fail fast. */
  readonly bulkhead?: { readonly concurrent: number; readonly queued: number };
  /** Where every call's outcome is reported (`/statusz`); the client never probes the peer. */
  readonly observed?: ObservedDependencies;
}

/**
 * Status codes that say the peer could not serve us. Any other code is the peer's answer
 * (NOT_FOUND, FAILED_PRECONDITION...): it is up, and the call worked as a call.
 */
const PEER_FAILURES: ReadonlySet<number> = new Set([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.UNKNOWN,
  grpcStatus.INTERNAL,
  grpcStatus.DATA_LOSS,
  grpcStatus.UNIMPLEMENTED,
]);

const isUnavailable = (error: unknown): boolean =>
  isDomainError(error) && error.code === 'unavailable';

/** Attempts of one call at most: the call and one retry, so a slow peer gets twice its load. */
const MAX_ATTEMPTS = 2;
/** The retry's backoff (with jitter) never waits longer than this. */
const RETRY_MAX_DELAY_MS = 100;

/**
 * The caller's time budget ran out (before or during an attempt). That says nothing about the
 * peer: the policies let it through untouched (no retry, not a failure of the peer), and the
 * caller gets it as `unavailable`.
 */
class BudgetSpent extends Error {}

/**
 * A typed gRPC client for one peer, on @grpc/grpc-js (so the OpenTelemetry grpc instrumentation
 * traces every call). Every call has a deadline. Resilience comes from cockatiel: a bulkhead
 * caps calls in flight, a circuit breaker fails fast while the peer is down (answering
 * `unavailable` with a Retry-After), and an idempotent method is retried once on `unavailable`
 * (DEADLINE_EXCEEDED included) after a short jittered backoff, when the caller's budget still
 * leaves the retry its whole deadline. Running out of the caller's budget is neither retried nor
 * counted against the peer. Errors come back as DomainErrors. This client is the one layer that
 * retries: the mesh retries no gRPC call (charts/junction/templates/mesh/virtualservices.yaml).
 * With `observed`, each call's outcome (and, at report time, the channel's connectivity and the
 * circuit) is reported under the peer's name; calls the circuit or bulkhead refused are not calls.
 */
export class GrpcClient<S extends ServiceDefinition> {
  readonly call: UnaryMethods<S>;
  private readonly client: Client;
  private readonly guarded: IPolicy;
  private readonly retried: IPolicy;
  private readonly openMs: number;
  private readonly status: DependencyStatus | undefined;

  constructor(
    readonly peer: string,
    definition: S,
    target: string,
    private readonly options: GrpcClientOptions<S>,
  ) {
    const maxMessageBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
    const Constructor = makeGenericClientConstructor(definition, peer);
    this.client = new Constructor(target, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxMessageBytes,
      'grpc.max_send_message_length': maxMessageBytes,
      // grpc-js backs off reconnecting to a dead peer up to 120 s by default: after payment's
      // 10 s outage in the bench, blocking checkouts kept failing ~9 s after it was back (this
      // backoff plus the breaker's half-open wait). Capped, a restarted peer is found within 2 s.
      // (Behind the mesh the sidecar holds this connection and its outlier detection decides.)
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': 2_000,
    });
    const breaker = options.breaker ?? { failures: 5, openMs: 5_000 };
    const limits = options.bulkhead ?? { concurrent: 64, queued: 64 };
    this.openMs = breaker.openMs;
    const circuit = circuitBreaker(handleWhen(isUnavailable), {
      halfOpenAfter: breaker.openMs,
      breaker: new ConsecutiveBreaker(breaker.failures),
    });
    this.guarded = wrap(bulkhead(limits.concurrent, limits.queued), circuit);
    this.retried = wrap(
      retry(
        handleWhen((error) => isUnavailable(error) && this.retryFits()),
        {
          maxAttempts: MAX_ATTEMPTS - 1,
          backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: RETRY_MAX_DELAY_MS }),
        },
      ),
      this.guarded,
    );
    const idempotent = new Set<string>(
      options.idempotentMethods ?? declaredIdempotentMethods(definition),
    );
    const methods = Object.fromEntries(
      Object.keys(definition).map((name) => [
        name,
        (request: unknown) => this.invoke(name, request, idempotent.has(name)),
      ]),
    );
    this.call = methods as unknown as UnaryMethods<S>;
    this.status = options.observed?.track(peer, 'grpc', {
      live: () => ({
        target,
        // false: reading the state must not make an idle channel connect.
        connectivity: connectivityState[this.client.getChannel().getConnectivityState(false)],
        circuit: circuitStateName(circuit.state),
      }),
    });
  }

  close(): void {
    this.client.close();
  }

  private async invoke(method: string, request: unknown, idempotent: boolean): Promise<never> {
    try {
      // Checked before the retry and the breaker see the call; a budget that runs out later (in
      // the bulkhead's queue, the backoff or the attempt) comes through them as BudgetSpent.
      if (this.timeLeft() <= 0)
        throw new BudgetSpent(`no time left to call ${this.peer}.${method}`);
      return await (idempotent ? this.retried : this.guarded).execute(() =>
        this.unary(method, request),
      );
    } catch (error) {
      if (error instanceof BudgetSpent) throw new DomainError('unavailable', error.message);
      if (error instanceof BrokenCircuitError) {
        throw new DomainError(
          'unavailable',
          `${this.peer} unavailable (circuit open)`,
          [],
          Math.ceil(this.openMs / 1000),
        );
      }
      if (error instanceof BulkheadRejectedError) {
        throw new DomainError(
          'unavailable',
          `${this.peer} overloaded: too many calls in flight`,
          [],
          1,
        );
      }
      throw error;
    }
  }

  /** Milliseconds left of the caller's budget (withCallBudget); Infinity without one. */
  private timeLeft(): number {
    const budget = currentBudgetDeadline();
    return budget === undefined ? Number.POSITIVE_INFINITY : budget - Date.now();
  }

  /** A retry is useful only with a whole attempt's deadline left after the longest backoff. */
  private retryFits(): boolean {
    return this.timeLeft() >= this.options.deadlineMs + RETRY_MAX_DELAY_MS;
  }

  private unary(method: string, request: unknown): Promise<never> {
    const fn = (this.client as unknown as Record<string, UnaryCall | undefined>)[method];
    if (!fn) return Promise.reject(new Error(`${this.peer} has no method ${method}`));
    const budget = currentBudgetDeadline();
    const now = Date.now();
    if (budget !== undefined && budget <= now)
      return Promise.reject(new BudgetSpent(`no time left to call ${this.peer}.${method}`));
    // Cut short to the caller's budget, a deadline that expires is the caller's, not the peer's.
    const own = now + this.options.deadlineMs;
    const byBudget = budget !== undefined && budget < own;
    const deadline = byBudget ? budget : own;
    return new Promise((resolve, reject) => {
      fn.call(this.client, request, new Metadata(), { deadline }, (error, response) => {
        if (byBudget && error?.code === grpcStatus.DEADLINE_EXCEEDED) {
          reject(
            new BudgetSpent(
              `deadline exceeded: ${this.peer}.${method} did not answer within the caller's budget`,
            ),
          );
          return;
        }
        this.observe(method, error);
        if (error) reject(this.toDomainError(method, error));
        else resolve(response as never);
      });
    });
  }

  private observe(method: string, error: ServiceError | null): void {
    if (!this.status) return;
    if (!error) {
      this.status.succeeded({ method, outcome: 'OK' });
      return;
    }
    const outcome = (grpcStatus[error.code] as string | undefined) ?? String(error.code);
    if (PEER_FAILURES.has(error.code))
      this.status.failed(error.details || error.message, { method, outcome });
    else this.status.succeeded({ method, outcome });
  }

  private toDomainError(method: string, error: ServiceError): Error {
    const code = errorCodeOfGrpc(error.code);
    if (!code) return new Error(`${this.peer}.${method} failed: ${error.message}`);
    const message = error.details || error.message;
    return new DomainError(
      code,
      code === 'unavailable' ? `${this.peer} unavailable: ${message}` : message,
    );
  }
}

function circuitStateName(state: CircuitState): string {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
  }
}

/** The methods topology.yaml marks idempotent for the service a generated definition describes. */
function declaredIdempotentMethods(definition: ServiceDefinition): readonly string[] {
  const path = Object.values(definition)[0]?.path ?? '';
  const service = /^\/([^/]+)\//.exec(path)?.[1] ?? '';
  return IDEMPOTENT_GRPC_METHODS[service] ?? [];
}
