import { hostname } from 'node:os';
import { type DependencyStatus, type ObservedDependencies } from '@junction/platform';
import { type ChannelModel, connect } from 'amqplib';
import { type Logger } from 'pino';

type ConnectedHook = (connection: ChannelModel) => Promise<void>;

const MAX_BACKOFF_MS = 5_000;

/**
 * One AMQP connection per process, reconnecting with capped exponential backoff. Publishers and
 * consumers register a hook that (re)creates their channels on every successful connect.
 * Nagle is off (`noDelay`): with it on, a small publish waits ~40 ms for the delayed ACK.
 * With `observed`, its connection events are reported as the `rabbitmq` dependency (connected /
 * reconnecting, since when, the error that caused it), which is what `/statusz` shows.
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

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly logger: Logger,
    observed?: ObservedDependencies,
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
