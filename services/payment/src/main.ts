import '@junction/platform/telemetry';
import { GRPC_SERVICES } from '@junction/contracts';
import { runService } from '@junction/platform';
import { AppModule } from './app.module';
import { PaymentConfig } from './config';

void runService({
  name: 'payment',
  config: PaymentConfig,
  module: AppModule,
  grpc: { service: GRPC_SERVICES.payment, port: (config) => config.grpcPort },
});
