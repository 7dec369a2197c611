import { type Provider } from '@nestjs/common';
import { BearerAuthGuard } from './bearer-auth.guard';
import { JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

/** JwtVerifier (from the service's config `jwt` settings) and the guard that uses it. */
export function bearerAuthProviders(
  configClass: abstract new (...args: never[]) => { readonly jwt: JwtVerifierOptions },
): Provider[] {
  return [
    {
      provide: JwtVerifier,
      inject: [configClass],
      useFactory: (config: { readonly jwt: JwtVerifierOptions }) => new JwtVerifier(config.jwt),
    },
    BearerAuthGuard,
  ];
}
