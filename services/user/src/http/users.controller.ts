import { type AccessTokenClaims, BearerAuthGuard, Principal } from '@junction/platform';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { type User } from '../domain/user';
import { UsersService } from '../domain/users.service';

@Controller('users')
@UseGuards(BearerAuthGuard)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@Principal() principal: AccessTokenClaims): Promise<User> {
    return this.users.get(principal.sub);
  }
}
