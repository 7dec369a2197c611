import { Clock } from '../ports/clock';

/** A clock that says what the test tells it: `advance(ms)` moves it on. */
export class FixedClock extends Clock {
  private current: number;

  constructor(at: Date | string = '2026-01-01T00:00:00.000Z') {
    super();
    this.current = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
