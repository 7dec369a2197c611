import { type z } from 'zod';

export interface DeliveryInfo {
  readonly messageId: string;
  readonly routingKey: string;
  readonly redelivered: boolean;
  /** How many times this message was tried before (0 on the first delivery). */
  readonly attempt: number;
}

/**
 * One consumer of one routing key. The consumer parses and validates the payload with `schema`
 * before `handle` sees it; `handle` calls one domain method and must be idempotent.
 */
export interface EventHandler<S extends z.ZodType = z.ZodType> {
  readonly routingKey: string;
  readonly schema: S;
  handle(payload: z.output<S>, delivery: DeliveryInfo): Promise<void>;
}
