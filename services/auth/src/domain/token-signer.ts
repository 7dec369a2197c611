import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ACCESS_TOKEN_ALGORITHM } from '@junction/platform';
import {
  calculateJwkThumbprint,
  exportJWK,
  importPKCS8,
  importSPKI,
  type JWK,
  type KeyLike,
  SignJWT,
} from 'jose';
import { createPublicKey } from 'node:crypto';
import { AuthConfig } from '../config';

/** Signs access tokens with auth's private key and publishes the public keys as a JWKS. */
@Injectable()
export class TokenSigner implements OnModuleInit {
  private privateKey: KeyLike | undefined;
  private kid = '';
  private jwks: { keys: JWK[] } = { keys: [] };

  constructor(private readonly config: AuthConfig) {}

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

  get keySet(): { keys: JWK[] } {
    return this.jwks;
  }

  async sign(userId: string, sessionId: string): Promise<{ token: string; expiresIn: number }> {
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
