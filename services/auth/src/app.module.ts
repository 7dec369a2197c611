import { RateLimiter } from '@junction/platform';
import { Module } from '@nestjs/common';
import { UserDirectory } from './clients/user-directory';
import { AttemptThrottle } from './domain/attempt-throttle';
import { AuthService } from './domain/auth.service';
import { TokenSigner } from './domain/token-signer';
import { AuthController } from './http/auth.controller';
import { SessionsRepository } from './store/sessions.repository';

@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    AttemptThrottle,
    RateLimiter,
    TokenSigner,
    SessionsRepository,
    UserDirectory,
  ],
})
export class AppModule {}
