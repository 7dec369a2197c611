import '@junction/platform/telemetry';
import { runService } from '@junction/platform';
import { AppModule } from './app.module';
import { AuthConfig } from './config';

void runService({ name: 'auth', config: AuthConfig, module: AppModule });
