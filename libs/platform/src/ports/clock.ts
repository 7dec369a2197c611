/**
 * The time, as a domain asks for it: a port (the abstract class is also the Nest injection
 * token). PlatformModule binds it to the system clock; unit tests pass a `FixedClock`
 * (`@junction/platform/testing`). Domain code never calls `Date.now()` or `new Date()` itself.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
