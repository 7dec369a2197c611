import { randomBytes } from 'node:crypto';

/** A name no other test run uses (queues, services, routing keys): `<label>-<random hex>`. */
export function uniqueName(label: string): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}
