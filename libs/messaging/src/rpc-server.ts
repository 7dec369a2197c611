import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError, parseInput } from '@junction/platform';
import { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { type Logger } from 'pino';
import { type AmqpConnection } from './connection';
import { type RpcError, type RpcHandler, type RpcReply } from './rpc-handler';
import { assertRpcQueue } from './topology';

export interface RpcServerOptions {
  /** Names the request queue: `<service>.rpc`. */
  readonly service: string;
  /** Requests being answered at once (bounded prefetch). */
  readonly prefetch: number;
  readonly maxMessageBytes: number;
}

/**
 * AMQP request-reply: consumes the service's request queue, dispatches on the request's `type`
 * property, validates the JSON body with the handler's schema, and publishes the reply (JSON
 * `{ result }` or `{ error: { code, message } }`) to the request's `replyTo` with its
 * `correlationId` — RabbitMQ's direct reply-to works as well as a named reply queue. A request
 * is acked once answered, so one lost with a crashed server is redelivered. `stop` drains.
 */
export class RpcServer {
  private readonly handlers = new Map<string, RpcHandler>();
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
  private stopping = false;
  private drained: Promise<void> | undefined;
  private idle: (() => void) | undefined;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: RpcServerOptions,
    private readonly logger: Logger,
  ) {}

  register(handler: RpcHandler): void {
    this.handlers.set(handler.method, handler);
  }

  get consuming(): boolean {
    return this.consumerTag !== undefined;
  }

  start(): void {
    this.connection.onConnected((c) => this.open(c));
  }

  /** Stops taking requests, waits for the ones being answered, then closes the channel. */
  async stop(): Promise<void> {
    this.stopping = true;
    const channel = this.channel;
    if (channel && this.consumerTag) {
      await channel.cancel(this.consumerTag).catch(() => undefined);
      this.consumerTag = undefined;
    }
    if (this.inFlight > 0) {
      this.drained ??= new Promise<void>((resolve) => {
        this.idle = resolve;
      });
      await this.drained;
    }
    await channel?.close().catch(() => undefined);
    this.channel = undefined;
  }

  private async open(connection: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.channel === channel) {
        this.channel = undefined;
        this.consumerTag = undefined;
      }
    });
    const queue = await assertRpcQueue(channel, this.options.service);
    await channel.prefetch(this.options.prefetch);
    this.channel = channel;
    const { consumerTag } = await channel.consume(
      queue,
      (message) => {
        if (message) void this.onRequest(channel, message);
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async onRequest(channel: Channel, message: ConsumeMessage): Promise<void> {
    this.inFlight += 1;
    try {
      const reply = await this.answer(message);
      const { replyTo, correlationId } = message.properties as {
        replyTo?: unknown;
        correlationId?: unknown;
      };
      if (typeof replyTo === 'string' && replyTo.length > 0) {
        channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(reply)), {
          contentType: 'application/json',
          type: 'error' in reply ? 'error' : 'result',
          ...(typeof correlationId === 'string' ? { correlationId } : {}),
        });
      } else {
        this.logger.warn({ type: message.properties.type as unknown }, 'request without replyTo');
      }
      channel.ack(message);
    } catch (error) {
      // The channel died mid-way: the broker redelivers the unacked request to another server.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'reply failed',
      );
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && this.idle) this.idle();
    }
  }

  private async answer(message: ConsumeMessage): Promise<RpcReply> {
    try {
      const method = String(message.properties.type);
      const handler = this.handlers.get(method);
      if (!handler) throw new DomainError('not_found', `no method "${method}" here`);
      const request = parseInput(handler.schema, this.bodyOf(message));
      return { result: await handler.handle(request) };
    } catch (error) {
      return { error: this.errorOf(error) };
    }
  }

  private bodyOf(message: ConsumeMessage): unknown {
    if (message.content.length > this.options.maxMessageBytes) {
      throw new DomainError(
        'invalid_argument',
        `request too large: ${String(message.content.length)} bytes`,
      );
    }
    try {
      return JSON.parse(message.content.toString('utf8'));
    } catch {
      throw new DomainError('invalid_argument', 'malformed request: not JSON');
    }
  }

  private errorOf(error: unknown): RpcError {
    if (isDomainError(error)) {
      return {
        code: error.code,
        message: error.message,
        ...(error.violations.length > 0 ? { violations: error.violations } : {}),
      };
    }
    const correlationId = randomUUID();
    this.logger.error({ correlationId, err: error }, 'unhandled error in an RPC handler');
    return { code: 'internal', message: `internal error (correlation id ${correlationId})` };
  }
}
