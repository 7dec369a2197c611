import { parseInput } from '@junction/platform';
import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { type Account } from '../../../domain/account';
import { AuthService } from '../../../domain/auth.service';
import { type PublicKeySet, type TokenPair } from '../../../domain/session';
import { loginSchema, refreshSchema, registerSchema } from './auth.schemas';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/register')
  async register(@Body() body: unknown, @Ip() clientIp: string): Promise<{ user: Account }> {
    return { user: await this.auth.register(parseInput(registerSchema, body, 'body'), clientIp) };
  }

  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: unknown, @Ip() clientIp: string): Promise<TokenPair> {
    const { email, password } = parseInput(loginSchema, body, 'body');
    return this.auth.login(email, password, clientIp);
  }

  @Post('auth/refresh')
  @HttpCode(200)
  refresh(@Body() body: unknown): Promise<TokenPair> {
    return this.auth.refresh(parseInput(refreshSchema, body, 'body').refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Body() body: unknown): Promise<void> {
    await this.auth.logout(parseInput(refreshSchema, body, 'body').refreshToken);
  }

  @Get('.well-known/jwks.json')
  jwks(): PublicKeySet {
    return this.auth.keySet();
  }
}
