import { bearerAuthProviders } from '@junction/platform';
import { Module } from '@nestjs/common';
import { UserGrpcController } from './adapters/in/grpc/user.grpc-controller';
import { UserController } from './adapters/in/http/user.controller';
import { Argon2PasswordHasher } from './adapters/out/crypto/argon2-password-hasher';
import { UserRepository } from './adapters/out/redis/user.repository';
import { UserConfig } from './config';
import { PasswordHasher, UserStore } from './domain/ports';
import { UserService } from './domain/user.service';

@Module({
  controllers: [UserController, UserGrpcController],
  providers: [
    UserService,
    { provide: UserStore, useClass: UserRepository },
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    ...bearerAuthProviders(UserConfig),
  ],
})
export class AppModule {}
