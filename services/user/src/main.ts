import '@junction/platform/telemetry';
import { GRPC_SERVICES } from '@junction/contracts';
import { runService } from '@junction/platform';
import { AppModule } from './app.module';
import { UserConfig } from './config';

void runService({
  name: 'user',
  config: UserConfig,
  module: AppModule,
  grpc: { service: GRPC_SERVICES.user, port: (config) => config.grpcPort },
});
