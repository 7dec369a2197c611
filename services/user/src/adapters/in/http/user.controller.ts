import { type AccessTokenClaims, BearerAuthGuard, Principal } from '@junction/platform';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { type User } from '../../../domain/user';
import { UserService } from '../../../domain/user.service';

@Controller('users')
@UseGuards(BearerAuthGuard)
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get('me')
  me(@Principal() principal: AccessTokenClaims): Promise<User> {
    return this.users.get(principal.sub);
  }
}
