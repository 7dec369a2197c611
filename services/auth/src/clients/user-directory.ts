import { userV1 } from '@junction/contracts';
import { GrpcClient, ObservedDependencies } from '@junction/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AuthConfig } from '../config';

/** Auth's view of the user service, over gRPC with a deadline on every call. */
@Injectable()
export class UserDirectory implements OnApplicationShutdown {
  private readonly client: GrpcClient<typeof userV1.UserServiceService>;

  constructor(config: AuthConfig, observed: ObservedDependencies) {
    this.client = new GrpcClient('user', userV1.UserServiceService, config.userGrpcTarget, {
      deadlineMs: config.grpcDeadlineMs,
      observed,
      // Retries only the methods topology.yaml marks idempotent.
    });
  }

  async create(email: string, password: string, displayName: string): Promise<userV1.User> {
    return required((await this.client.call.createUser({ email, password, displayName })).user);
  }

  async verifyCredentials(email: string, password: string): Promise<userV1.User> {
    return required((await this.client.call.verifyCredentials({ email, password })).user);
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}

function required(user: userV1.User | undefined): userV1.User {
  if (!user) throw new Error('user service answered without a user');
  return user;
}
