import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { type AccessTokenClaims, JwtVerifier } from './jwt-verifier';

type AuthenticatedRequest = FastifyRequest & { principal?: AccessTokenClaims };

/** Requires `Authorization: Bearer <access token>` and puts its claims on the request. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly verifier: JwtVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match =
      typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header) : null;
    if (!match?.[1]) throw new DomainError('unauthenticated', 'missing or malformed bearer token');
    request.principal = await this.verifier.verify(match[1]);
    return true;
  }
}

/** The verified caller of a route guarded by BearerAuthGuard. */
export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): AccessTokenClaims => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new DomainError('unauthenticated', 'not authenticated');
    return principal;
  },
);
