import { userV1 } from '@junction/contracts';
import { parseInput } from '@junction/platform';
import { Controller } from '@nestjs/common';
import { createUserSchema, getUserSchema, verifyCredentialsSchema } from '../domain/user.schemas';
import { UsersService } from '../domain/users.service';

/** gRPC adapter (auth is the only caller): parse, call one domain method, map. */
@Controller()
@userV1.UserServiceControllerMethods()
export class UsersGrpcController implements userV1.UserServiceController {
  constructor(private readonly users: UsersService) {}

  async createUser(request: userV1.CreateUserRequest): Promise<userV1.CreateUserResponse> {
    return { user: await this.users.create(parseInput(createUserSchema, request)) };
  }

  async getUser(request: userV1.GetUserRequest): Promise<userV1.GetUserResponse> {
    return { user: await this.users.get(parseInput(getUserSchema, request).id) };
  }

  async verifyCredentials(
    request: userV1.VerifyCredentialsRequest,
  ): Promise<userV1.VerifyCredentialsResponse> {
    const { email, password } = parseInput(verifyCredentialsSchema, request);
    return { user: await this.users.verifyCredentials(email, password) };
  }
}
