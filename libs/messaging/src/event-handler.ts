import { type z } from 'zod';

/** An event as a consumer subscribes to it: its routing key and the schema of its payload. */
export interface SubscribedEvent<S extends z.ZodType = z.ZodType> {
  readonly routingKey: string;
  readonly schema: S;
}

/**
 * One consumer of one event (an entry of `EVENTS` in @junction/contracts). The consumer parses
 * and validates the payload with the event's schema before `handle` sees it; `handle` calls one
 * domain method and must be idempotent.
 */
export interface EventHandler<E extends SubscribedEvent = SubscribedEvent> {
  readonly event: E;
  handle(payload: z.output<E['schema']>): Promise<void>;
}
