import { ordersV1, ROUTING_KEYS } from '@junction/contracts';
import { currentTraceContext } from '@junction/platform';
import { Injectable } from '@nestjs/common';
import { type Order } from '../../../domain/order';
import { CheckoutEvents, type SerializedEvent } from '../../../domain/ports';
import { type OutboxEntry } from '../redis/outbox';
import { OutboxRelay } from './outbox-relay';

/**
 * Builds orders' events — the one place they are built: proto3 JSON from the contracts, the
 * messageId, occurredAt, and the trace context they were created in (the relay publishes them
 * in it) — as outbox entries; the relay sends them once the entry is stored.
 */
@Injectable()
export class CheckoutEventsPublisher extends CheckoutEvents {
  constructor(private readonly relay: OutboxRelay) {
    super();
  }

  orderPlaced(order: Order): SerializedEvent {
    const entry: OutboxEntry = { ...orderPlacedEvent(order), traceContext: currentTraceContext() };
    return JSON.stringify(entry);
  }

  flush(order: Order): void {
    this.relay.kick(order.id);
  }
}

function orderPlacedEvent(order: Order): Omit<OutboxEntry, 'traceContext'> {
  const type = ROUTING_KEYS.orderPlaced;
  const messageId = `${type}:${order.id}`;
  const body = ordersV1.OrderPlaced.toJSON({
    messageId,
    type,
    occurredAt: order.createdAt,
    orderId: order.id,
    userId: order.userId,
    lines: [...order.lines],
    paymentMethod: order.paymentMethod,
  });
  return { routingKey: type, messageId, type, body };
}
