import { RateLimiter } from '@junction/platform';
import { Module } from '@nestjs/common';
import { AuthController } from './adapters/in/http/auth.controller';
import { JoseTokenSigner } from './adapters/out/crypto/jose-token-signer';
import { NodeCryptoSecrets } from './adapters/out/crypto/node-crypto-secrets';
import { UserClient } from './adapters/out/grpc/user.client';
import { SessionRepository } from './adapters/out/redis/session.repository';
import { AttemptThrottle } from './domain/attempt-throttle';
import { AuthService } from './domain/auth.service';
import { Secrets, SessionStore, TokenSigner, UserDirectory } from './domain/ports';

@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    AttemptThrottle,
    RateLimiter,
    { provide: SessionStore, useClass: SessionRepository },
    { provide: UserDirectory, useClass: UserClient },
    { provide: TokenSigner, useClass: JoseTokenSigner },
    { provide: Secrets, useClass: NodeCryptoSecrets },
  ],
})
export class AppModule {}
