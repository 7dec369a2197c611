import { parseInput } from '@junction/platform';
import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { loginSchema, refreshSchema, registerSchema } from '../domain/auth.schemas';
import { AuthService, type TokenPair } from '../domain/auth.service';
import { TokenSigner } from '../domain/token-signer';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly signer: TokenSigner,
  ) {}

  @Post('auth/register')
  async register(
    @Body() body: unknown,
    @Ip() clientIp: string,
  ): Promise<{ user: { id: string; email: string; displayName: string } }> {
    const { email, password, displayName } = parseInput(registerSchema, body, 'body');
    return { user: await this.auth.register(email, password, displayName, clientIp) };
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
  jwks(): { keys: object[] } {
    return this.signer.keySet;
  }
}
