import { createPublicKey } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM } from '@junction/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  calculateJwkThumbprint,
  exportJWK,
  importPKCS8,
  importSPKI,
  type JWK,
  type KeyLike,
  SignJWT,
} from 'jose';
import { AuthConfig } from '../../../config';
import { TokenSigner } from '../../../domain/ports';
import { type AccessToken, type PublicKeySet } from '../../../domain/session';

/** ES256 JWTs signed with jose; the public keys as a JWKS with RFC 7638 thumbprints as `kid`. */
@Injectable()
export class JoseTokenSigner extends TokenSigner implements OnModuleInit {
  private privateKey: KeyLike | undefined;
  private kid = '';
  private jwks: { keys: JWK[] } = { keys: [] };

  constructor(private readonly config: AuthConfig) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const { privateKeyPem, previousPublicKeyPem } = this.config.tokens;
    this.privateKey = await importPKCS8(privateKeyPem, ACCESS_TOKEN_ALGORITHM);
    const publicPem = createPublicKey(privateKeyPem)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const current = await this.publicJwk(publicPem);
    this.kid = current.kid ?? '';
    const previous = previousPublicKeyPem ? [await this.publicJwk(previousPublicKeyPem)] : [];
    this.jwks = { keys: [current, ...previous] };
  }

  keySet(): PublicKeySet {
    return this.jwks;
  }

  async sign(userId: string, sessionId: string): Promise<AccessToken> {
    if (!this.privateKey) throw new Error('signing key not loaded');
    const { issuer, audience, accessTtlSeconds } = this.config.tokens;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: this.kid, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${accessTtlSeconds}s`)
      .sign(this.privateKey);
    return { token, expiresIn: accessTtlSeconds };
  }

  private async publicJwk(pem: string): Promise<JWK> {
    const jwk = await exportJWK(await importSPKI(pem, ACCESS_TOKEN_ALGORITHM));
    const kid = await calculateJwkThumbprint(jwk);
    return { ...jwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
  }
}
