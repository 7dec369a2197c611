import { Route, RouteInput, type RouteInputOf } from '@junction/platform';
import { Controller, Get, Ip, Post } from '@nestjs/common';
import { type Account } from '../../../domain/account';
import { AuthService } from '../../../domain/auth.service';
import { type PublicKeySet, type TokenPair } from '../../../domain/session';
import { jwks, login, logout, refresh, register } from './auth.routes';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/register')
  @Route(register)
  async register(
    @RouteInput() { body }: RouteInputOf<typeof register>,
    @Ip() clientIp: string,
  ): Promise<{ user: Account }> {
    return { user: await this.auth.register(body, clientIp) };
  }

  @Post('auth/login')
  @Route(login)
  login(
    @RouteInput() { body }: RouteInputOf<typeof login>,
    @Ip() clientIp: string,
  ): Promise<TokenPair> {
    return this.auth.login(body.email, body.password, clientIp);
  }

  @Post('auth/refresh')
  @Route(refresh)
  refresh(@RouteInput() { body }: RouteInputOf<typeof refresh>): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @Route(logout)
  async logout(@RouteInput() { body }: RouteInputOf<typeof logout>): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('.well-known/jwks.json')
  @Route(jwks)
  jwks(): PublicKeySet {
    return this.auth.keySet();
  }
}
