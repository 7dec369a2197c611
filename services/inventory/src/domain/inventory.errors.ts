import { DomainError } from '@junction/platform';

export class UnknownSku extends DomainError {
  constructor(sku: string) {
    super('not_found', `no item with SKU ${sku}`);
  }
}
