import { RateLimiter } from '@junction/platform';
import { Module } from '@nestjs/common';
import { AuthController } from './adapters/in/http/auth.controller';
import { JoseTokenSigner } from './adapters/out/crypto/jose-token-signer';
import { NodeCryptoSecrets } from './adapters/out/crypto/node-crypto-secrets';
import { UserClient } from './adapters/out/grpc/user.client';
import { LoginFailureCounter } from './adapters/out/redis/login-failure-counter';
import { SessionRepository } from './adapters/out/redis/session.repository';
import { SigningKeyRepository } from './adapters/out/redis/signing-key.repository';
import { AttemptThrottle } from './domain/attempt-throttle';
import { AuthService } from './domain/auth.service';
import { LoginFailures, Secrets, SessionStore, TokenSigner, UserDirectory } from './domain/ports';
import { SigningKeyStore } from './domain/signing-keys';

@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    AttemptThrottle,
    RateLimiter,
    { provide: SessionStore, useClass: SessionRepository },
    { provide: LoginFailures, useClass: LoginFailureCounter },
    { provide: UserDirectory, useClass: UserClient },
    { provide: TokenSigner, useClass: JoseTokenSigner },
    { provide: SigningKeyStore, useClass: SigningKeyRepository },
    { provide: Secrets, useClass: NodeCryptoSecrets },
  ],
})
export class AppModule {}
