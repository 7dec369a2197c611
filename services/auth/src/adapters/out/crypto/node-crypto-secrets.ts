import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Secrets } from '../../../domain/ports';

/** Refresh tokens from the system's CSPRNG; SHA-256 as the digest they are stored under. */
@Injectable()
export class NodeCryptoSecrets extends Secrets {
  newToken(): string {
    return randomBytes(32).toString('base64url');
  }

  digest(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }
}
