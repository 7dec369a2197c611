import { mockOf } from '@junction/platform/testing';
import { type OutgoingEvent } from '../outgoing-event';
import { type EventPublisher } from '../publisher';

export interface RecordingPublisher {
  /** Give this to the publisher under test in place of the broker's. */
  readonly publisher: EventPublisher;
  /** What was published, in order; every publish is confirmed at once. */
  readonly published: OutgoingEvent[];
}

/** A broker stand-in for a service's event-publisher spec: it keeps every event it is given. */
export function recordingPublisher(): RecordingPublisher {
  const published: OutgoingEvent[] = [];
  const publisher = mockOf<EventPublisher>();
  publisher.publish.mockImplementation((event) => {
    published.push(event);
    return Promise.resolve();
  });
  return { publisher, published };
}
