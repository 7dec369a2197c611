import { MessagingModule } from '@junction/messaging';
import { bearerAuthProviders, faultInjectorProvider } from '@junction/platform';
import { Module } from '@nestjs/common';
import { PaymentConfig } from './config';
import { InventoryReservedConsumer } from './consumers/inventory-reserved.consumer';
import { PaymentMethods } from './domain/payment-methods';
import { PaymentService } from './domain/payment.service';
import { PaymentGrpcController } from './grpc/payment.grpc-controller';
import { PaymentsController } from './http/payments.controller';
import { PaymentRepository } from './store/payment.repository';

@Module({
  imports: [MessagingModule.forService({ consumers: [InventoryReservedConsumer] })],
  controllers: [PaymentsController, PaymentGrpcController],
  providers: [
    PaymentService,
    PaymentRepository,
    PaymentMethods,
    faultInjectorProvider,
    InventoryReservedConsumer,
    ...bearerAuthProviders(PaymentConfig),
  ],
})
export class AppModule {}
