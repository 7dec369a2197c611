import { type AccessTokenClaims, BearerAuthGuard, Principal, Route } from '@junction/platform';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { type User } from '../../../domain/user';
import { UserService } from '../../../domain/user.service';
import { me } from './user.routes';

@Controller('users')
@UseGuards(BearerAuthGuard)
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get('me')
  @Route(me)
  me(@Principal() principal: AccessTokenClaims): Promise<User> {
    return this.users.get(principal.sub);
  }
}
