import { type Provider } from '@nestjs/common';
import { ObservedDependencies } from '../health/observed-dependencies';
import { Clock } from '../ports/clock';
import { BearerAuthGuard } from './bearer-auth.guard';
import { JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

/**
 * JwtVerifier (from the service's config `jwt` settings) and the guard that uses it. Its JWKS
 * fetches are reported as the `jwks` dependency on `/statusz`.
 */
export function bearerAuthProviders(
  configClass: abstract new (...args: never[]) => { readonly jwt: JwtVerifierOptions },
): Provider[] {
  return [
    {
      provide: JwtVerifier,
      inject: [configClass, ObservedDependencies, Clock],
      useFactory: (
        config: { readonly jwt: JwtVerifierOptions },
        observed: ObservedDependencies,
        clock: Clock,
      ) =>
        new JwtVerifier(
          config.jwt,
          observed.track('jwks', 'jwks', { live: () => ({ url: config.jwt.jwksUrl }) }),
          clock,
        ),
    },
    BearerAuthGuard,
  ];
}
