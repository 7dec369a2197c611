import { BROKER_TOPOLOGY } from '@junction/contracts';
import { MessagingModule } from '@junction/messaging';
import { bearerAuthProviders, FaultsModule } from '@junction/platform';
import { Module } from '@nestjs/common';
import { InventoryReservedConsumer } from './adapters/in/amqp/inventory-reserved.consumer';
import { PaymentGrpcController } from './adapters/in/grpc/payment.grpc-controller';
import { PaymentController } from './adapters/in/http/payment.controller';
import { PaymentEventsPublisher } from './adapters/out/amqp/payment-events.publisher';
import { PaymentRepository } from './adapters/out/redis/payment.repository';
import { PaymentConfig } from './config';
import { PaymentMethods } from './domain/payment-methods';
import { PaymentService } from './domain/payment.service';
import { PaymentEvents, PaymentStore } from './domain/ports';

@Module({
  imports: [
    MessagingModule.forService({
      topology: BROKER_TOPOLOGY,
      consumers: [InventoryReservedConsumer],
    }),
    // Lab feature: the faults of the @InjectFault adapter methods (charge, refund), off unless
    // FAULT_INJECTION; set at runtime through /admin/faults.
    FaultsModule,
  ],
  controllers: [PaymentController, PaymentGrpcController],
  providers: [
    PaymentService,
    PaymentMethods,
    { provide: PaymentStore, useClass: PaymentRepository },
    { provide: PaymentEvents, useClass: PaymentEventsPublisher },
    InventoryReservedConsumer,
    ...bearerAuthProviders(PaymentConfig),
  ],
})
export class AppModule {}
