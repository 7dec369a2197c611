import { type DomainError, isDomainError, withPropagatedBaggage } from '@junction/platform';
import { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { type Logger } from 'pino';
import { ConfirmedChannel } from './confirmed-channel';
import { type AmqpConnection } from './connection';
import { type EventHandler } from './event-handler';
import { PUBLISHED_AT_HEADER } from './headers';
import { type Inbox } from './inbox';
import { MessagingMetrics } from './messaging-metrics';
import { QueueDispatcher } from './queue-dispatcher';
import { type DeliverySettlement } from './subscription';
import { type BrokerTopology, consumerTopology, queueNames, type QueueNames } from './topology';

export interface ConsumerOptions {
  /** Names the queues: `<service>.events`, `.retry`, `.parking`. */
  readonly service: string;
  /** Unacked messages in flight at once (bounded prefetch). */
  readonly prefetch: number;
  /** Attempts (first delivery included) before a failing message is parked. */
  readonly maxAttempts: number;
  /** How long a failed message waits in the retry queue: its TTL there, set per message. */
  readonly retryDelayMs: number;
  readonly maxMessageBytes: number;
  /**
   * The whole broker topology, declared again with the consumer's own queues whenever it
   * (re)subscribes (after a reconnect, or after the broker cancelled it: its queue was deleted).
   */
  readonly topology?: BrokerTopology;
}

type Outcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly attempt: number; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string };

/** Domain errors that a retry cannot fix: the message is parked at once. */
const PERMANENT: readonly DomainError['code'][] = [
  'invalid_argument',
  'not_found',
  'failed_precondition',
  'permission_denied',
  'already_exists',
];

/**
 * Consumes one service's queue: validates each message, skips ones already handled, acks only
 * after the handler has committed, retries transient failures after a delay, and parks poison
 * (malformed, unknown, invalid, exhausted) with the reason. `stop` drains in-flight work.
 * A retry or park is a confirmed, mandatory publish; when it fails (returned: the queue is
 * missing; not confirmed in time; nacked) the delivery is put back in its queue after the retry
 * delay — never acked away, never left unacked on a live channel.
 */
export class EventConsumer extends QueueDispatcher<ConfirmChannel, EventHandler> {
  private names: QueueNames | undefined;
  /** Each channel's bounded confirms (made when the channel is declared, before it consumes). */
  private readonly confirmed = new WeakMap<ConfirmChannel, ConfirmedChannel>();
  /** The main queue, as the metrics name the consumer group. */
  private readonly queue: string;

  constructor(
    connection: AmqpConnection,
    private readonly inbox: Inbox,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    private readonly metrics = new MessagingMetrics(),
  ) {
    super(connection, {
      openChannel: (c) => c.createConfirmChannel(),
      prefetch: options.prefetch,
      name: `consumer ${queueNames(options.service).main}`,
      keyOf: (handler) => handler.event.routingKey,
      logger,
    });
    this.queue = queueNames(options.service).main;
  }

  protected async declare(channel: ConfirmChannel, connection: ChannelModel): Promise<string> {
    const own = consumerTopology(this.options.service, [...this.handlers.keys()]);
    if (this.options.topology) {
      await this.connection.declare(connection, this.options.topology);
    }
    await this.connection.declare(connection, own);
    this.confirmed.set(
      channel,
      new ConfirmedChannel(channel, {
        confirmTimeoutMs: this.connection.confirmTimeoutMs,
        blockedReason: () => this.connection.blockedReason,
        whenUnblocked: (ms) => this.connection.whenUnblocked(ms),
        broken: (reason) => {
          this.recycle(channel, reason);
        },
      }),
    );
    this.names = queueNames(this.options.service);
    return this.names.main;
  }

  protected async handle(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    settlement: DeliverySettlement,
  ): Promise<void> {
    const started = Date.now();
    const routingKey = routingKeyOf(message);
    this.metrics.delivered(routingKey, this.queue, queueWaitSeconds(message, started));
    try {
      const outcome = await this.process(message).catch((error: unknown) =>
        infrastructureFailure(message, error),
      );
      await this.settle(channel, message, outcome);
      settlement.ack();
      this.metrics.processed(routingKey, this.queue, (Date.now() - started) / 1000, outcome.kind);
    } catch (error) {
      // The retry or park publish failed: the message goes back to its queue (after the retry
      // delay, so a missing queue or a stalled broker is not retried hot). On a channel that
      // died meanwhile the nack goes nowhere and the broker redelivers the message itself.
      this.logger.warn(
        {
          messageId: message.properties.messageId as unknown,
          err: error instanceof Error ? error.message : String(error),
          requeuedAfterMs: this.options.retryDelayMs,
        },
        // The exact message tools/chaos looks for: a settle failure is still worth a look.
        'settle failed',
      );
      await sleep(this.options.retryDelayMs);
      settlement.requeue();
    }
  }

  private async process(message: ConsumeMessage): Promise<Outcome> {
    if (message.content.length > this.options.maxMessageBytes) {
      return { kind: 'park', reason: `message too large: ${message.content.length} bytes` };
    }
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      return { kind: 'park', reason: 'malformed message: not JSON' };
    }
    const routingKey = routingKeyOf(message);
    const handler =
      this.handlers.get(routingKey) ?? this.handlers.get(String(message.properties.type));
    if (!handler) return { kind: 'park', reason: `unknown message type: ${routingKey}` };
    const sender = this.untrustedSender(message, handler.event.routingKey);
    if (sender !== undefined) return { kind: 'park', reason: sender };
    const messageId = messageIdOf(message, body);
    if (!messageId) return { kind: 'park', reason: 'message has no messageId' };
    const parsed = handler.event.schema.safeParse(body);
    if (!parsed.success) {
      const detail = parsed.error.issues.map(
        (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
      );
      return { kind: 'park', reason: `invalid ${routingKey}: ${detail.join('; ')}` };
    }
    const claim = await this.inbox.claim(messageId);
    if (claim === 'done') return { kind: 'ack' };
    const attempt = attemptOf(message);
    // Another copy is in a handler right now: look again after the retry delay (not an attempt).
    if (claim === 'busy')
      return { kind: 'retry', attempt, reason: 'a copy of this message is being handled' };
    try {
      // Only matters with span links (JUNCTION_MESSAGING_SPAN_LINKS): keeps `checkout.path` on.
      await withPropagatedBaggage(message.properties.headers, () => handler.handle(parsed.data));
      await this.inbox.complete(messageId);
      this.logger.debug({ messageId, routingKey, attempt }, 'message handled');
      return { kind: 'ack' };
    } catch (error) {
      await this.inbox.abandon(messageId);
      return this.failure(error, attempt);
    }
  }

  /**
   * Why a message's sender may not send it (undefined when it may). Any user that may write to
   * the default exchange (every consumer, for its retries) can put a message straight into this
   * queue, so the routing key proves nothing; the AMQP user-id does, as the broker refuses a
   * publish whose user-id is not the connection's login. An event is accepted from the broker
   * user of its publisher in topology.yaml, or from this service's own (its retries): users are
   * named `<prefix><service>` (the chart's, and `npm start`'s), and the prefix is what precedes
   * this service's name in its own user. A service whose user is not so named shares one user
   * with the others (`npm start -- --admin-credentials`, e2e): then only that user is accepted.
   */
  private untrustedSender(message: ConsumeMessage, routingKey: string): string | undefined {
    const own = this.connection.user;
    const sender: unknown = message.properties.userId;
    const accepted = [own];
    const publisher = this.options.topology?.publishers?.[routingKey];
    const service = this.options.service;
    if (publisher !== undefined && publisher !== service && own.endsWith(service)) {
      accepted.push(`${own.slice(0, own.length - service.length)}${publisher}`);
    }
    if (typeof sender === 'string' && accepted.includes(sender)) return undefined;
    const from = typeof sender === 'string' ? `broker user "${sender}"` : 'no broker user';
    return `untrusted sender: ${routingKey} from ${from}; accepted from ${accepted.map((u) => `"${u}"`).join(' or ')}`;
  }

  private failure(error: unknown, attempt: number): Outcome {
    const reason = error instanceof Error ? error.message : String(error);
    if (isDomainError(error) && PERMANENT.includes(error.code)) {
      return { kind: 'park', reason: `rejected: ${reason}` };
    }
    if (attempt + 1 >= this.options.maxAttempts) {
      return { kind: 'park', reason: `failed ${attempt + 1} times: ${reason}` };
    }
    return { kind: 'retry', attempt: attempt + 1, reason };
  }

  /** A retried or parked message is first published to its queue (confirmed); then acked. */
  private async settle(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    outcome: Outcome,
  ): Promise<void> {
    const names = this.names;
    if (outcome.kind !== 'ack' && names) {
      const queue = outcome.kind === 'retry' ? names.retry : names.parking;
      const headers: Record<string, unknown> = {
        ...message.properties.headers,
        'x-original-routing-key': routingKeyOf(message),
        ...(outcome.kind === 'retry'
          ? {
              'x-attempt': outcome.attempt,
              'x-last-error': outcome.reason,
              // Re-stamped: the next consumer span's queue wait counts from here (retry delay
              // included), not from the first publish.
              [PUBLISHED_AT_HEADER]: Date.now(),
            }
          : { 'x-parked-reason': outcome.reason, 'x-parked-at': new Date().toISOString() }),
      };
      this.logger[outcome.kind === 'retry' ? 'warn' : 'error'](
        { messageId: message.properties.messageId as unknown, queue, reason: outcome.reason },
        outcome.kind === 'retry' ? 'message will be retried' : 'message parked',
      );
      const confirmed = this.confirmed.get(channel);
      if (!confirmed) throw new Error('the channel was never declared');
      // Not copied: the publisher's TTL (a parked message must not expire). The user id becomes
      // this service's (the broker refuses a publish naming another user than this connection's),
      // and the consumer accepts its own user's retries.
      const properties: Record<string, unknown> = { ...message.properties };
      delete properties.expiration;
      const sent = await confirmed.publish('', queue, message.content, {
        ...properties,
        userId: this.connection.user,
        headers,
        persistent: true,
        // A missing retry or parking queue returns the message instead of dropping it.
        mandatory: true,
        // The retry delay: the retry queue dead-letters the message back once it expires
        // (the broker drops `expiration` then). A parked message never expires.
        ...(outcome.kind === 'retry' ? { expiration: String(this.options.retryDelayMs) } : {}),
      });
      if (sent === 'returned') {
        void this.connection.topologyLost();
        throw new Error(`the ${outcome.kind} queue ${queue} is missing (message returned)`);
      }
    }
  }
}

function messageIdOf(message: ConsumeMessage, body: unknown): string | undefined {
  const fromProperties: unknown = message.properties.messageId;
  if (typeof fromProperties === 'string' && fromProperties.length > 0) return fromProperties;
  if (typeof body === 'object' && body !== null && 'messageId' in body) {
    const fromBody = body.messageId;
    if (typeof fromBody === 'string' && fromBody.length > 0) return fromBody;
  }
  return undefined;
}

/** Since the message was (last) published; undefined without the publisher's stamp. */
function queueWaitSeconds(message: ConsumeMessage, now: number): number | undefined {
  const publishedAt = Number(message.properties.headers?.[PUBLISHED_AT_HEADER]);
  if (!Number.isFinite(publishedAt) || publishedAt <= 0) return undefined;
  // Clocks of different hosts may disagree a little; a negative wait counts as none.
  return Math.max(0, now - publishedAt) / 1000;
}

function attemptOf(message: ConsumeMessage): number {
  const value: unknown = message.properties.headers?.['x-attempt'];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** A retried message comes back through the retry queue's dead-lettering with another key. */
function routingKeyOf(message: ConsumeMessage): string {
  const original: unknown = message.properties.headers?.['x-original-routing-key'];
  return typeof original === 'string' ? original : message.fields.routingKey;
}

/**
 * Redis (the inbox) failed around the handler: the message has not been judged, so it waits in
 * the retry queue and comes back after the delay, without using up an attempt. Never left
 * unacked, never retried hot.
 */
function infrastructureFailure(message: ConsumeMessage, error: unknown): Outcome {
  const reason = error instanceof Error ? error.message : String(error);
  return { kind: 'retry', attempt: attemptOf(message), reason: `store unavailable: ${reason}` };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
