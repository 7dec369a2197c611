/**
 * Test helpers, imported from `@junction/platform/testing` by spec files only (never by
 * production code: it needs the workspace's dev dependencies).
 */
export { mockOf, type Mocked } from './mocks';
export { TestRedis, type TestRedisOptions } from './test-redis';
export { uniqueName } from './unique-name';
