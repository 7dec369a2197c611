import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type PlaceOrder } from '../../../domain/order';
import { RequestFingerprint } from '../../../domain/ports';

/** The SHA-256 (hex) of the request as JSON, stored beside an Idempotency-Key binding. */
@Injectable()
export class Sha256RequestFingerprint extends RequestFingerprint {
  of(request: PlaceOrder): string {
    return createHash('sha256').update(JSON.stringify(request)).digest('hex');
  }
}
