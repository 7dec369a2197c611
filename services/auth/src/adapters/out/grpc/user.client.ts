import { userV1 } from '@junction/contracts';
import { GrpcClient, ObservedDependencies } from '@junction/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AuthConfig } from '../../../config';
import { type Account, type NewAccount } from '../../../domain/account';
import { UserDirectory } from '../../../domain/ports';

/** Auth's view of the user service, over gRPC with a deadline on every call. */
@Injectable()
export class UserClient extends UserDirectory implements OnApplicationShutdown {
  private readonly client: GrpcClient<typeof userV1.UserServiceService>;

  constructor(config: AuthConfig, observed: ObservedDependencies) {
    super();
    this.client = new GrpcClient('user', userV1.UserServiceService, config.userGrpcTarget, {
      deadlineMs: config.grpcDeadlineMs,
      observed,
      // Retries only the methods topology.yaml marks idempotent.
    });
  }

  async create({ email, password, displayName }: NewAccount): Promise<Account> {
    return toAccount((await this.client.call.createUser({ email, password, displayName })).user);
  }

  async verifyCredentials(email: string, password: string): Promise<Account> {
    return toAccount((await this.client.call.verifyCredentials({ email, password })).user);
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}

function toAccount(user: userV1.User | undefined): Account {
  if (!user) throw new Error('user service answered without a user');
  return { id: user.id, email: user.email, displayName: user.displayName };
}
