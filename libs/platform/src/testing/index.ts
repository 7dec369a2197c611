/**
 * Test helpers, imported from `@junction/platform/testing` by spec files only (never by
 * production code: it needs the workspace's dev dependencies).
 */
export { FixedClock } from './fixed-clock';
export { mockOf, type Mocked } from './mocks';
export { SequentialIds } from './sequential-ids';
export { TestRedis, type TestRedisOptions } from './test-redis';
export { uniqueName } from './unique-name';
