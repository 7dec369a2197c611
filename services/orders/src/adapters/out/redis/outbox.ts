import { type OutgoingEvent } from '@junction/messaging';
import { type TraceCarrier } from '@junction/platform';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { metrics, type ObservableCallback, type ObservableGauge } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { ORDERS_METER } from './checkout-metrics';

/**
 * One outbox entry (stored as JSON): the event, and the W3C trace context (traceparent,
 * tracestate, baggage) of the request that created it, so its publish continues that trace.
 * Entries written before the context was stored have none and publish in a trace of their own.
 */
export interface OutboxEntry extends OutgoingEvent {
  readonly traceContext?: TraceCarrier;
}

/** Removes the head of the outbox only if it is still the entry that was just published. */
const REMOVE_HEAD = `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then return redis.call('LPOP', KEYS[1]) and 1 end
return redis.call('LREM', KEYS[1], 1, ARGV[1])
`;

/**
 * The transactional outbox: events written with their order (same MULTI), read in order by the
 * relay, removed only after the broker confirmed them. A crash in between publishes twice, which
 * consumers absorb (the messageId is the same). Its length is the gauge `junction.outbox.length`,
 * read from Redis when metrics are collected (nothing is observed while Redis cannot answer).
 */
@Injectable()
export class Outbox implements OnApplicationShutdown {
  private readonly gauge: ObservableGauge;
  private readonly observeLength: ObservableCallback = async (result) => {
    const length = await this.size().catch(() => undefined);
    if (length !== undefined) result.observe(length);
  };

  constructor(@Inject(Redis) private readonly redis: Redis) {
    this.gauge = metrics.getMeter(ORDERS_METER).createObservableGauge('junction.outbox.length', {
      description: 'Events in the outbox, waiting to be published',
      unit: '{event}',
    });
    this.gauge.addCallback(this.observeLength);
  }

  onApplicationShutdown(): void {
    this.gauge.removeCallback(this.observeLength);
  }

  async peek(): Promise<string | undefined> {
    return (await this.redis.lindex('outbox', 0)) ?? undefined;
  }

  async remove(entry: string): Promise<void> {
    await this.redis.eval(REMOVE_HEAD, 1, 'outbox', entry);
  }

  async size(): Promise<number> {
    return this.redis.llen('outbox');
  }
}
