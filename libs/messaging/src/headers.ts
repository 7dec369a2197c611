/**
 * When a message was last put on a queue, epoch ms: stamped by the publisher, re-stamped when a
 * message goes to the retry queue. The consumer's queue-wait metric counts from it, and so does
 * the platform's consumer span attribute (libs/platform telemetry, messaging-spans.ts).
 */
export const PUBLISHED_AT_HEADER = 'x-published-at';
