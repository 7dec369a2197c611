import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError, parseInput } from '@junction/platform';
import { type Channel, type ConsumeMessage } from 'amqplib';
import { type Logger } from 'pino';
import { type AmqpConnection } from './connection';
import { type RpcError, type RpcHandler, type RpcReply } from './rpc-handler';
import { QueueDispatcher } from './queue-dispatcher';
import { type DeliverySettlement } from './subscription';
import { assertRpcQueue, rpcQueueName } from './topology';

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
export class RpcServer extends QueueDispatcher<Channel, RpcHandler> {
  constructor(
    connection: AmqpConnection,
    private readonly options: RpcServerOptions,
    private readonly logger: Logger,
  ) {
    super(connection, {
      openChannel: (c) => c.createChannel(),
      prefetch: options.prefetch,
      name: `rpc ${rpcQueueName(options.service)}`,
      keyOf: (handler) => handler.method,
      logger,
    });
  }

  protected declare(channel: Channel): Promise<string> {
    return assertRpcQueue(channel, this.options.service);
  }

  protected async handle(
    channel: Channel,
    message: ConsumeMessage,
    settlement: DeliverySettlement,
  ): Promise<void> {
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
      settlement.ack();
    } catch (error) {
      // The channel died mid-way: the broker redelivers the unacked request to another server.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'reply failed',
      );
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
