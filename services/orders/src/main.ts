import '@junction/platform/telemetry';
import { runService } from '@junction/platform';
import { AppModule } from './app.module';
import { OrdersConfig } from './config';

void runService({ name: 'orders', config: OrdersConfig, module: AppModule });
