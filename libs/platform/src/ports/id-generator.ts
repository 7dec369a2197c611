import { randomUUID } from 'node:crypto';

/**
 * New identifiers (random UUIDs), as a domain asks for them: a port bound by PlatformModule;
 * unit tests pass a `SequentialIds` (`@junction/platform/testing`) to know the ids in advance.
 */
export abstract class IdGenerator {
  abstract newId(): string;
}

export class RandomIdGenerator extends IdGenerator {
  newId(): string {
    return randomUUID();
  }
}
