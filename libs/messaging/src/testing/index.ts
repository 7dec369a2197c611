/**
 * Test helpers, imported from `@junction/messaging/testing` by spec files only (never by
 * production code: it needs the workspace's dev dependencies).
 */
export { recordingPublisher, type RecordingPublisher } from './recording-publisher';
