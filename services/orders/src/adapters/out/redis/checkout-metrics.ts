import { type Counter, metrics } from '@opentelemetry/api';
import { type CheckoutMode, type OrderOutcome } from '../../../domain/order';

/** The meter of orders' own (business) metrics. */
export const ORDERS_METER = '@junction/orders';

/** Reason codes are snake_case words; anything else is counted as `other` (bounded cardinality). */
const REASON_CODE = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The business counters of checkouts, the OpenTelemetry way (exported by the SDK the platform
 * starts; no-ops when metrics are off). Recorded where a change really happens — an order
 * created, a conditional status transition that succeeded — so each counts exactly once.
 * Attributes: the checkout path, the outcome and its reason code; never personal data.
 */
export class CheckoutMetrics {
  private readonly placed: Counter;
  private readonly completed: Counter;

  constructor() {
    // Asked for at construction, after the platform registered the global MeterProvider.
    const meter = metrics.getMeter(ORDERS_METER);
    this.placed = meter.createCounter('junction.orders.placed', {
      description: 'Orders placed, by checkout path',
      unit: '{order}',
    });
    this.completed = meter.createCounter('junction.orders.completed', {
      description: 'Orders that reached a final status, by checkout path, status and reason',
      unit: '{order}',
    });
  }

  orderPlaced(path: CheckoutMode): void {
    this.placed.add(1, { 'checkout.path': path });
  }

  orderCompleted(path: CheckoutMode, status: OrderOutcome, reason: string): void {
    this.completed.add(1, {
      'checkout.path': path,
      'order.status': status,
      ...(status === 'rejected' ? { 'order.reason': reasonCode(reason) } : {}),
    });
  }
}

function reasonCode(reason: string): string {
  return REASON_CODE.test(reason) ? reason : 'other';
}
