import { userV1 } from '@junction/contracts';
import { parseInput } from '@junction/platform';
import { Controller } from '@nestjs/common';
import { UserService } from '../../../domain/user.service';
import { toUserMessage } from './user.mapper';
import { createUserSchema, getUserSchema, verifyCredentialsSchema } from './user.schemas';

/** gRPC adapter (auth is the only caller): parse, call one domain method, map. */
@Controller()
@userV1.UserServiceControllerMethods()
export class UserGrpcController implements userV1.UserServiceController {
  constructor(private readonly users: UserService) {}

  async createUser(request: unknown): Promise<userV1.CreateUserResponse> {
    const user = await this.users.create(parseInput(createUserSchema, request));
    return { user: toUserMessage(user) };
  }

  async getUser(request: unknown): Promise<userV1.GetUserResponse> {
    const { id } = parseInput(getUserSchema, request);
    return { user: toUserMessage(await this.users.get(id)) };
  }

  async verifyCredentials(request: unknown): Promise<userV1.VerifyCredentialsResponse> {
    const { email, password } = parseInput(verifyCredentialsSchema, request);
    return { user: toUserMessage(await this.users.verifyCredentials(email, password)) };
  }
}
