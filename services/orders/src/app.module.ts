import { BROKER_TOPOLOGY } from '@junction/contracts';
import { MessagingModule } from '@junction/messaging';
import { bearerAuthProviders } from '@junction/platform';
import { Module } from '@nestjs/common';
import { InventoryRejectedConsumer } from './adapters/in/amqp/inventory-rejected.consumer';
import { PaymentCapturedConsumer } from './adapters/in/amqp/payment-captured.consumer';
import { PaymentDeclinedConsumer } from './adapters/in/amqp/payment-declined.consumer';
import { OpenStreams } from './adapters/in/http/open-streams';
import { OrderEventsStreamer } from './adapters/in/http/order-events.streamer';
import { OrderController } from './adapters/in/http/order.controller';
import { CheckoutEventsPublisher } from './adapters/out/amqp/checkout-events.publisher';
import { OutboxRelay } from './adapters/out/amqp/outbox-relay';
import { Sha256RequestFingerprint } from './adapters/out/crypto/sha256-request-fingerprint';
import { InventoryClient } from './adapters/out/grpc/inventory.client';
import { PaymentClient } from './adapters/out/grpc/payment.client';
import { OrderStatusStream } from './adapters/out/redis/order-status-stream';
import { OrderRepository } from './adapters/out/redis/order.repository';
import { Outbox } from './adapters/out/redis/outbox';
import { OrdersConfig } from './config';
import { AbandonedCheckouts } from './domain/abandoned-checkouts';
import { CheckoutCompensation } from './domain/checkout-compensation';
import { CheckoutService } from './domain/checkout.service';
import { OrderService } from './domain/order.service';
import { OverdueQueuedOrders } from './domain/overdue-queued-orders';
import {
  CheckoutEvents,
  OrderStatusFeed,
  OrderStore,
  PaymentGateway,
  RequestFingerprint,
  StockReserver,
} from './domain/ports';

const consumers = [InventoryRejectedConsumer, PaymentCapturedConsumer, PaymentDeclinedConsumer];

@Module({
  imports: [MessagingModule.forService({ topology: BROKER_TOPOLOGY, consumers })],
  controllers: [OrderController],
  providers: [
    // The domain.
    CheckoutService,
    AbandonedCheckouts,
    OverdueQueuedOrders,
    CheckoutCompensation,
    OrderService,
    // Its ports, bound to their adapters (Clock and IdGenerator come from PlatformModule).
    { provide: OrderStore, useClass: OrderRepository },
    { provide: StockReserver, useClass: InventoryClient },
    { provide: PaymentGateway, useClass: PaymentClient },
    { provide: CheckoutEvents, useClass: CheckoutEventsPublisher },
    { provide: OrderStatusFeed, useClass: OrderStatusStream },
    { provide: RequestFingerprint, useClass: Sha256RequestFingerprint },
    // What the adapters use among themselves.
    Outbox,
    OutboxRelay,
    OrderEventsStreamer,
    OpenStreams,
    ...consumers,
    ...bearerAuthProviders(OrdersConfig),
  ],
})
export class AppModule {}
