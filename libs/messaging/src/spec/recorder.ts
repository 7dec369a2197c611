import { z } from 'zod';
import { type EventHandler, type SubscribedEvent } from '../event-handler';

/** The event the consumer specs publish: a messageId, its type and a number. */
export const madeSchema = z.object({ messageId: z.string(), type: z.string(), n: z.number() });
export type Made = z.output<typeof madeSchema>;

/**
 * Records what it handled; `effect` runs first (with the payload and the attempt, from 0) and may
 * throw — then nothing is recorded.
 */
export class Recorder implements EventHandler<SubscribedEvent<typeof madeSchema>> {
  readonly handled: Made[] = [];
  attempts = 0;
  effect: (payload: Made, attempt: number) => Promise<void> = () => Promise.resolve();
  readonly event: SubscribedEvent<typeof madeSchema>;

  constructor(routingKey: string) {
    this.event = { routingKey, schema: madeSchema };
  }

  async handle(payload: Made): Promise<void> {
    this.attempts += 1;
    await this.effect(payload, this.attempts - 1);
    this.handled.push(payload);
  }
}
