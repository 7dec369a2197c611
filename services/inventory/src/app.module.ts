import { MessagingModule } from '@junction/messaging';
import { faultInjectorProvider } from '@junction/platform';
import { Module } from '@nestjs/common';
import { OrderPlacedConsumer } from './consumers/order-placed.consumer';
import { PaymentDeclinedConsumer } from './consumers/payment-declined.consumer';
import { CatalogSeeder } from './domain/catalog.seeder';
import { InventoryService } from './domain/inventory.service';
import { InventoryGrpcController } from './grpc/inventory.grpc-controller';
import { InventoryController } from './http/inventory.controller';
import { GetItemRpcHandler } from './rpc/get-item.rpc-handler';
import { InventoryRepository } from './store/inventory.repository';

@Module({
  imports: [
    MessagingModule.forService({
      consumers: [OrderPlacedConsumer, PaymentDeclinedConsumer],
      rpcHandlers: [GetItemRpcHandler],
    }),
  ],
  controllers: [InventoryController, InventoryGrpcController],
  providers: [
    InventoryService,
    InventoryRepository,
    CatalogSeeder,
    faultInjectorProvider,
    OrderPlacedConsumer,
    PaymentDeclinedConsumer,
    GetItemRpcHandler,
  ],
})
export class AppModule {}
