import { type ChannelModel, connect } from 'amqplib';
import { type Logger } from 'pino';

type ConnectedHook = (connection: ChannelModel) => Promise<void>;

const MAX_BACKOFF_MS = 5_000;

/**
 * One AMQP connection per process, reconnecting with capped exponential backoff. Publishers and
 * consumers register a hook that (re)creates their channels on every successful connect.
 * Nagle is off (`noDelay`): with it on, a small publish waits ~40 ms for the delayed ACK.
 */
export class AmqpConnection {
  private connection: ChannelModel | undefined;
  private readonly hooks: ConnectedHook[] = [];
  private closing = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  get connected(): boolean {
    return this.connection !== undefined;
  }

  onConnected(hook: ConnectedHook): void {
    this.hooks.push(hook);
    if (this.connection) {
      this.runHook(hook, this.connection);
    }
  }

  /** Starts connecting in the background; the service runs (not ready) while the broker is down. */
  start(): void {
    this.closing = false;
    void this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
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
      connection.on('error', (error: Error) => {
        this.logger.warn({ err: error.message }, 'rabbitmq connection error');
      });
      connection.on('close', () => {
        this.connection = undefined;
        if (!this.closing) {
          this.logger.warn('rabbitmq connection closed; reconnecting');
          this.scheduleReconnect();
        }
      });
      this.connection = connection;
      this.attempt = 0;
      this.logger.info('rabbitmq connected');
      for (const hook of this.hooks) this.runHook(hook, connection);
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'rabbitmq unreachable; retrying',
      );
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
