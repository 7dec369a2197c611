import '@junction/platform/telemetry';
import { GRPC_SERVICES } from '@junction/contracts';
import { runService } from '@junction/platform';
import { AppModule } from './app.module';
import { InventoryConfig } from './config';

void runService({
  name: 'inventory',
  config: InventoryConfig,
  module: AppModule,
  grpc: { service: GRPC_SERVICES.inventory, port: (config) => config.grpcPort },
});
