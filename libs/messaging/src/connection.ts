import { hostname } from 'node:os';
import { type DependencyStatus, type ObservedDependencies } from '@junction/platform';
import { type ChannelModel, connect } from 'amqplib';
import { type Logger } from 'pino';
import { ChannelHealth } from './channel-health';
import { declareBrokerTopology, type QueueMismatch } from './declare-topology';
import { type BrokerTopology } from './topology';

export interface AmqpConnectionOptions {
  /**
   * How long a publish waits for the broker's confirm (and a channel for the broker to open it)
   * before it fails with `unavailable` and the channel is opened anew. Default 5 s.
   */
  readonly confirmTimeoutMs?: number;
}

/** The default of AmqpConnectionOptions.confirmTimeoutMs. */
export const DEFAULT_CONFIRM_TIMEOUT_MS = 5_000;

type ConnectedHook = (connection: ChannelModel) => Promise<void>;

const MAX_BACKOFF_MS = 5_000;
/** At most one re-declaration of the topology per this interval when publishes find no queue. */
const REDECLARE_INTERVAL_MS = 1_000;
/**
 * How long a re-declaration waits first: a quorum queue declared again at once under its old name
 * can keep the broker from cancelling the consumers of the deleted one (seen on RabbitMQ 3.10),
 * which would leave them consuming nothing. The callers retry later than this anyway.
 */
const REDECLARE_DELAY_MS = 500;

/**
 * One AMQP connection per process, reconnecting with capped exponential backoff. Publishers and
 * consumers register a hook that (re)creates their channels on every successful connect.
 * Nagle is off (`noDelay`): with it on, a small publish waits ~40 ms for the delayed ACK.
 * With `observed`, its connection events are reported as the `rabbitmq` dependency (connected /
 * reconnecting, since when, the error that caused it), which is what `/statusz` shows.
 * With `topology`, every connect declares the whole broker topology before any hook runs, so
 * nothing is published or consumed before every queue and binding exists; `topologyLost`
 * declares it again (a publish found no queue: one was deleted, or the broker lost definitions).
 */
export class AmqpConnection {
  private connection: ChannelModel | undefined;
  private readonly hooks: ConnectedHook[] = [];
  private closing = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** idle (not started), connecting (first attempt), connected, reconnecting, closed. */
  private state: 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed' = 'idle';
  private readonly status: DependencyStatus | undefined;
  private redeclaring: Promise<void> | undefined;
  private lastRedeclaredAt = 0;
  /** Set while the broker blocks this connection's publishes (a resource alarm). */
  private blocked: { readonly reason: string; readonly since: Date } | undefined;
  private readonly unblockWaiters = new Set<() => void>();
  private readonly channels = new Map<string, ChannelHealth>();
  /** Queues that exist with other arguments than the declared ones, by name. */
  private readonly mismatched = new Map<string, QueueMismatch>();
  readonly confirmTimeoutMs: number;
  /**
   * The broker user this connection logs in as (the URL's user; amqplib's default `guest`
   * without one). Every publish names it as its AMQP `user-id`, which the broker checks against
   * the connection's login, so a consumer can tell which user sent a message (consumer.ts).
   */
  readonly user: string;

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly logger: Logger,
    observed?: ObservedDependencies,
    private readonly topology?: BrokerTopology,
    options: AmqpConnectionOptions = {},
  ) {
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
    this.user = brokerUserOf(url);
    this.status = observed?.track('rabbitmq', 'amqp', { live: () => this.live() });
  }

  /** What `/statusz` shows besides the connection events: flow control, channels, topology. */
  private live(): Record<string, unknown> {
    return {
      connection: this.state,
      blocked: this.blocked
        ? { reason: this.blocked.reason, since: this.blocked.since.toISOString() }
        : false,
      ...(this.channels.size > 0
        ? {
            channels: Object.fromEntries(
              [...this.channels.values()].map((c) => [c.name, c.report()]),
            ),
          }
        : {}),
      ...(this.mismatched.size > 0 ? { mismatchedQueues: [...this.mismatched.values()] } : {}),
    };
  }

  /** The health of the channel `name` (one per user: the publisher, each consumer). */
  channelHealth(name: string): ChannelHealth {
    const existing = this.channels.get(name);
    if (existing) return existing;
    const health = new ChannelHealth(name, this.logger);
    this.channels.set(name, health);
    return health;
  }

  /** Whether `connection` is still the open one (a channel of a closed one is not reopened). */
  isCurrent(connection: ChannelModel): boolean {
    return this.connection === connection && !this.closing;
  }

  /** Why the broker blocks publishing on this connection (a resource alarm), if it does. */
  get blockedReason(): string | undefined {
    return this.blocked?.reason;
  }

  /** Resolves true once the connection is not blocked, false after `ms` if it still is. */
  whenUnblocked(ms: number): Promise<boolean> {
    if (!this.blocked) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.unblockWaiters.delete(done);
        resolve(this.blocked === undefined);
      };
      const timer = setTimeout(done, ms);
      this.unblockWaiters.add(done);
    });
  }

  /**
   * Declares `topology` on `connection`; a queue found with other arguments is kept as it is,
   * reported on `/statusz` (`mismatchedQueues`) and logged as an error with what to do.
   */
  declare(connection: ChannelModel, topology: BrokerTopology): Promise<void> {
    return declareBrokerTopology(connection, topology, this.logger, (mismatch) => {
      this.mismatched.set(mismatch.queue, mismatch);
    });
  }

  /**
   * Who publishes on this connection, as the AMQP app-id of every message: the service, the host
   * (a pod's name in the cluster) and the process, so a message's publisher can be told apart
   * among replicas (the bench counts each outbox relay's share by it).
   */
  get appId(): string {
    return `${this.name}/${hostname()}/${String(process.pid)}`;
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  onConnected(hook: ConnectedHook): void {
    this.hooks.push(hook);
    if (this.connection) {
      this.runHook(hook, this.connection);
    }
  }

  /**
   * A publish found no queue bound to its routing key: declares the topology again (at most once
   * a second), so the next attempt — the caller retries — finds the queue. Resolves when done.
   */
  topologyLost(): Promise<void> {
    const connection = this.connection;
    if (!this.topology || !connection) return Promise.resolve();
    if (this.redeclaring) return this.redeclaring;
    if (Date.now() - this.lastRedeclaredAt < REDECLARE_INTERVAL_MS) return Promise.resolve();
    this.lastRedeclaredAt = Date.now();
    this.logger.warn('a publish reached no queue; declaring the broker topology again');
    const topology = this.topology;
    this.redeclaring = new Promise((resolve) => setTimeout(resolve, REDECLARE_DELAY_MS))
      .then(() => this.declare(connection, topology))
      .catch((error: unknown) => {
        this.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'declaring the broker topology again failed',
        );
      })
      .finally(() => {
        this.redeclaring = undefined;
      });
    return this.redeclaring;
  }

  /** Starts connecting in the background; the service keeps serving while the broker is down. */
  start(): void {
    this.closing = false;
    this.state = 'connecting';
    void this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    try {
      const connection = await connect(this.url, {
        noDelay: true,
        clientProperties: { connection_name: this.name },
      });
      if (this.closing) {
        await connection.close();
        return;
      }
      let lastError: string | undefined;
      connection.on('error', (error: Error) => {
        lastError = error.message;
        this.logger.warn({ err: error.message }, 'rabbitmq connection error');
      });
      this.watchFlowControl(connection);
      // Before anything publishes or consumes; a failure closes this connection and retries.
      if (this.topology) await this.declareOnConnect(connection, this.topology);
      if (this.isClosing()) {
        await connection.close().catch(() => undefined);
        return;
      }
      connection.on('close', () => {
        this.connection = undefined;
        this.setBlocked(undefined);
        if (!this.closing) {
          this.logger.warn('rabbitmq connection closed; reconnecting');
          this.state = 'reconnecting';
          this.status?.failed(lastError ?? 'connection closed', { event: 'closed' });
          this.scheduleReconnect();
        }
      });
      this.connection = connection;
      this.attempt = 0;
      this.state = 'connected';
      this.status?.succeeded({ event: 'connected' });
      this.logger.info('rabbitmq connected');
      for (const hook of this.hooks) this.runHook(hook, connection);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: message }, 'rabbitmq unreachable; retrying');
      if (this.closing) return;
      this.state = 'reconnecting';
      this.status?.failed(message, { event: 'connect_failed' });
      this.scheduleReconnect();
    }
  }

  /** The topology before anything else; a failure closes the connection (and so reconnects). */
  private async declareOnConnect(
    connection: ChannelModel,
    topology: BrokerTopology,
  ): Promise<void> {
    try {
      await this.declare(connection, topology);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new Error(
        `declaring the broker topology failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * A resource alarm (memory, disk) makes the broker block every publishing connection: it stops
   * reading from them, so no confirm comes. Logged and shown on `/statusz`, never readiness;
   * publishes wait for the end of it (bounded by the confirm timeout) and fail `unavailable`.
   */
  private watchFlowControl(connection: ChannelModel): void {
    connection.on('blocked', (reason: unknown) => {
      if (this.connection !== connection && this.connection !== undefined) return;
      this.setBlocked(typeof reason === 'string' && reason.length > 0 ? reason : 'blocked');
    });
    connection.on('unblocked', () => {
      this.setBlocked(undefined);
    });
  }

  private setBlocked(reason: string | undefined): void {
    if (reason !== undefined) {
      if (!this.blocked) {
        this.logger.warn({ reason }, 'rabbitmq blocks publishing (resource alarm)');
      }
      this.blocked = { reason, since: this.blocked?.since ?? new Date() };
      return;
    }
    if (!this.blocked) return;
    this.logger.info(
      { blockedMs: Date.now() - this.blocked.since.getTime() },
      'rabbitmq publishes again',
    );
    this.blocked = undefined;
    for (const waiter of [...this.unblockWaiters]) waiter();
  }

  /** Read afresh after an await (`close` may have been called meanwhile). */
  private isClosing(): boolean {
    return this.closing;
  }

  private runHook(hook: ConnectedHook, connection: ChannelModel): void {
    hook(connection).catch((error: unknown) => {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'rabbitmq channel setup failed; reconnecting',
      );
      void connection.close().catch(() => undefined);
    });
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    const delay = Math.min(100 * 2 ** this.attempt, MAX_BACKOFF_MS);
    const jitter = Math.random() * delay * 0.2;
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay + jitter);
  }
}

/** The user of an amqp(s):// URL, percent-decoded; `guest` (amqplib's default) without one. */
export function brokerUserOf(url: string): string {
  const user = new URL(url).username;
  return user.length > 0 ? decodeURIComponent(user) : 'guest';
}
