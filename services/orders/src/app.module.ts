import { MessagingModule } from '@junction/messaging';
import { bearerAuthProviders } from '@junction/platform';
import { Module } from '@nestjs/common';
import { InventoryClient } from './clients/inventory.client';
import { PaymentClient } from './clients/payment.client';
import { OrdersConfig } from './config';
import {
  InventoryRejectedConsumer,
  PaymentCapturedConsumer,
  PaymentDeclinedConsumer,
} from './consumers/checkout-outcome.consumers';
import { AbandonedCheckouts } from './domain/abandoned-checkouts';
import { CheckoutCompensation } from './domain/checkout-compensation';
import { CheckoutService } from './domain/checkout.service';
import { OrdersService } from './domain/orders.service';
import { OrderEventsStreamer } from './http/order-events.streamer';
import { OrdersController } from './http/orders.controller';
import { OutboxRelay } from './outbox/outbox-relay';
import { OrderStatusStream } from './store/order-status-stream';
import { OrdersRepository } from './store/orders.repository';
import { Outbox } from './store/outbox';

const consumers = [InventoryRejectedConsumer, PaymentCapturedConsumer, PaymentDeclinedConsumer];

@Module({
  imports: [MessagingModule.forService({ consumers })],
  controllers: [OrdersController],
  providers: [
    CheckoutService,
    AbandonedCheckouts,
    CheckoutCompensation,
    OrdersService,
    OrdersRepository,
    Outbox,
    OutboxRelay,
    OrderStatusStream,
    OrderEventsStreamer,
    InventoryClient,
    PaymentClient,
    ...consumers,
    ...bearerAuthProviders(OrdersConfig),
  ],
})
export class AppModule {}
