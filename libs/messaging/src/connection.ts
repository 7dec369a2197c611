import { hostname } from 'node:os';
import { type DependencyStatus, type ObservedDependencies } from '@junction/platform';
import { type ChannelModel, connect } from 'amqplib';
import { type Logger } from 'pino';
import { declareBrokerTopology } from './declare-topology';
import { type BrokerTopology } from './topology';

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

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly logger: Logger,
    observed?: ObservedDependencies,
    private readonly topology?: BrokerTopology,
  ) {
    this.status = observed?.track('rabbitmq', 'amqp', { live: () => ({ connection: this.state }) });
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
      .then(() => declareBrokerTopology(connection, topology, this.logger))
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
      // Before anything publishes or consumes; a failure closes this connection and retries.
      if (this.topology) await this.declareOnConnect(connection, this.topology);
      if (this.isClosing()) {
        await connection.close().catch(() => undefined);
        return;
      }
      connection.on('close', () => {
        this.connection = undefined;
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
      await declareBrokerTopology(connection, topology, this.logger);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new Error(
        `declaring the broker topology failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
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
