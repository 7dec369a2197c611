import { IdGenerator } from '../ports/id-generator';

/** Ids a test can predict: `<prefix>-1`, `<prefix>-2`, … */
export class SequentialIds extends IdGenerator {
  private next = 1;

  constructor(private readonly prefix = 'id') {
    super();
  }

  newId(): string {
    return `${this.prefix}-${String(this.next++)}`;
  }
}
