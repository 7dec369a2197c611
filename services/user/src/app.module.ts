import { bearerAuthProviders } from '@junction/platform';
import { Module } from '@nestjs/common';
import { UserConfig } from './config';
import { PasswordHasher } from './domain/password-hasher';
import { UsersService } from './domain/users.service';
import { UsersGrpcController } from './grpc/users.grpc-controller';
import { UsersController } from './http/users.controller';
import { UsersRepository } from './store/users.repository';

@Module({
  controllers: [UsersController, UsersGrpcController],
  providers: [UsersService, UsersRepository, PasswordHasher, ...bearerAuthProviders(UserConfig)],
})
export class AppModule {}
