import { type z } from 'zod';

/**
 * One consumer of one routing key. The consumer parses and validates the payload with `schema`
 * before `handle` sees it; `handle` calls one domain method and must be idempotent.
 */
export interface EventHandler<S extends z.ZodType = z.ZodType> {
  readonly routingKey: string;
  readonly schema: S;
  handle(payload: z.output<S>): Promise<void>;
}
