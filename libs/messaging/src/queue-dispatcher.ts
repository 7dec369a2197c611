import { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { type AmqpConnection } from './connection';
import { type DeliverySettlement, Subscription, type SubscriptionSetup } from './subscription';

/** How a QueueDispatcher opens its channel, how many deliveries it takes at once, how it keys handlers. */
export interface QueueDispatcherSetup<C extends Channel, H> extends Pick<
  SubscriptionSetup<C>,
  'openChannel' | 'prefetch' | 'logger' | 'name'
> {
  /** The key a delivery names its handler by (routing key, RPC method). */
  keyOf(handler: H): string;
}

/**
 * What EventConsumer and RpcServer share: handlers registered under the key a delivery names,
 * and the one Subscription their deliveries come from. A subclass says what its queue needs
 * declared and what a delivery does.
 */
export abstract class QueueDispatcher<C extends Channel, H> {
  protected readonly handlers = new Map<string, H>();
  private readonly subscription: Subscription<C>;
  private readonly keyOf: (handler: H) => string;

  protected constructor(
    protected readonly connection: AmqpConnection,
    setup: QueueDispatcherSetup<C, H>,
  ) {
    this.keyOf = (handler) => setup.keyOf(handler);
    this.subscription = new Subscription(connection, {
      openChannel: (c) => setup.openChannel(c),
      declare: (channel, c) => this.declare(channel, c),
      prefetch: setup.prefetch,
      name: setup.name,
      logger: setup.logger,
      handle: (channel, message, settlement) => this.handle(channel, message, settlement),
    });
  }

  register(handler: H): void {
    this.handlers.set(this.keyOf(handler), handler);
  }

  get consuming(): boolean {
    return this.subscription.consuming;
  }

  start(): void {
    this.subscription.start();
  }

  /** Stops taking deliveries, waits for the ones being handled to settle, then closes the channel. */
  stop(): Promise<void> {
    return this.subscription.stop();
  }

  /** `channel` is broken (see Subscription.recycle): closed, and the queue consumed anew. */
  protected recycle(channel: C, reason: string): void {
    this.subscription.recycle(channel, reason);
  }

  /** Declares what the queue needs (see SubscriptionSetup.declare); answers the queue to consume. */
  protected abstract declare(channel: C, connection: ChannelModel): Promise<string>;

  /** Takes one delivery to its end and settles it (see SubscriptionSetup.handle): must not reject. */
  protected abstract handle(
    channel: C,
    message: ConsumeMessage,
    settlement: DeliverySettlement,
  ): Promise<void>;
}
