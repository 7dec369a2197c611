import { createMock, type DeepMocked, type PartialFuncReturn } from '@golevelup/ts-jest';

export type Mocked<T> = DeepMocked<T>;

/**
 * A typed automock of a class (a repository, a client, the clock...). It is strict: calling a
 * method the test did not stub throws, so a test never runs on an accidental placeholder value.
 * Give return values with `mock.method.mockResolvedValue(...)` or in `partial`.
 */
export function mockOf<T extends object>(partial: PartialFuncReturn<T> = {}): Mocked<T> {
  return createMock<T>(partial, { strict: true });
}
