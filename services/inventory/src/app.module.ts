import { BROKER_TOPOLOGY } from '@junction/contracts';
import { MessagingModule } from '@junction/messaging';
import { FaultsModule } from '@junction/platform';
import { Module } from '@nestjs/common';
import { GetItemRpcHandler } from './adapters/in/amqp/get-item.rpc-handler';
import { OrderPlacedConsumer } from './adapters/in/amqp/order-placed.consumer';
import { PaymentDeclinedConsumer } from './adapters/in/amqp/payment-declined.consumer';
import { InventoryGrpcController } from './adapters/in/grpc/inventory.grpc-controller';
import { InventoryController } from './adapters/in/http/inventory.controller';
import { ReplyPadding } from './adapters/in/reply-padding';
import { InventoryEventsPublisher } from './adapters/out/amqp/inventory-events.publisher';
import { CatalogSeeder } from './adapters/out/redis/catalog.seeder';
import { InventoryRepository } from './adapters/out/redis/inventory.repository';
import { InventoryService } from './domain/inventory.service';
import { InventoryEvents, StockStore } from './domain/ports';

@Module({
  imports: [
    MessagingModule.forService({
      topology: BROKER_TOPOLOGY,
      consumers: [OrderPlacedConsumer, PaymentDeclinedConsumer],
      rpcHandlers: [GetItemRpcHandler],
    }),
    // Lab feature: the faults of the @InjectFault adapter methods (getItem, reserve, release),
    // off unless FAULT_INJECTION; set at runtime through /admin/faults.
    FaultsModule,
  ],
  controllers: [InventoryController, InventoryGrpcController],
  providers: [
    InventoryService,
    InventoryRepository,
    { provide: StockStore, useExisting: InventoryRepository },
    { provide: InventoryEvents, useClass: InventoryEventsPublisher },
    // Lab feature: GetItem's bench padding, off unless REPLY_PADDING_MAX_BYTES allows it.
    ReplyPadding,
    CatalogSeeder,
    OrderPlacedConsumer,
    PaymentDeclinedConsumer,
    GetItemRpcHandler,
  ],
})
export class AppModule {}
