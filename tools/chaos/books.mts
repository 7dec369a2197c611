// The books of a chaos scenario: what must hold in Redis and on the broker once the dust has
// settled, whatever broke. A pure function of what was read, so each rule is easy to check.
import { type Ledger, type LedgerOrder, type OrderLine } from './ledger.mts';
import { isAccepted, type Placement } from './load.mts';
import { CONSUMING_SERVICES, type QueueDepth, queuesOf } from '@junction/testkit';

export interface BooksInput {
  readonly ledger: Ledger;
  readonly placements: readonly Placement[];
  readonly startingStock: ReadonlyMap<string, number>;
  readonly queues: readonly QueueDepth[];
  /** The messageIds found in each parking queue. */
  readonly parked: ReadonlyMap<string, readonly string[]>;
  /** The messageIds of the poison the scenario injected, by the parking queue it belongs in. */
  readonly expectedParked: ReadonlyMap<string, readonly string[]>;
}

export interface BooksReport {
  /** Orders answered 201 or 202. */
  readonly accepted: number;
  readonly confirmed: number;
  readonly rejected: number;
  /** Accepted orders missing from Redis or not terminal. */
  readonly lost: number;
  /** Orders answered otherwise (503, connection refused, ...): never promised. */
  readonly refused: number;
  readonly violations: readonly string[];
}

interface Outcome {
  readonly placement: Placement;
  readonly order: LedgerOrder | undefined;
}

export function auditBooks(input: BooksInput): BooksReport {
  const accepted = input.placements.filter(isAccepted);
  const outcomes: Outcome[] = accepted.map((placement) => ({
    placement,
    order: placement.orderId === undefined ? undefined : input.ledger.orders.get(placement.orderId),
  }));
  const count = (status: string) => outcomes.filter(({ order }) => order?.status === status).length;
  return {
    accepted: accepted.length,
    confirmed: count('confirmed'),
    rejected: count('rejected'),
    lost: outcomes.filter(isLost).length,
    refused: input.placements.length - accepted.length,
    violations: [
      ...acceptedOrderViolations(outcomes),
      ...pendingOrders(input.ledger),
      ...stockViolations(input),
      ...paymentViolations(input.ledger),
      ...(input.ledger.outboxLength > 0
        ? [`the outbox still holds ${input.ledger.outboxLength} events`]
        : []),
      ...queueViolations(input.queues),
      ...parkingViolations(input),
    ],
  };
}

function isLost({ order }: Outcome): boolean {
  return order === undefined || order.status === 'pending';
}

/** Every accepted order is terminal, and a 201 said what is stored. */
function acceptedOrderViolations(outcomes: readonly Outcome[]): string[] {
  const lost = outcomes.filter(isLost);
  const misanswered = outcomes.filter(
    ({ placement, order }) =>
      placement.httpStatus === 201 && order && placement.answeredStatus !== order.status,
  );
  return [
    ...(lost.length > 0
      ? [
          `${lost.length} accepted orders never reached a terminal state: ${sample(lost.map(({ placement }) => `${placement.orderId ?? '?'} (${placement.mode})`))}`,
        ]
      : []),
    ...misanswered.map(
      ({ placement, order }) =>
        `order ${placement.orderId ?? '?'} was answered 201 ${placement.answeredStatus ?? '?'} but is ${order?.status ?? '?'}`,
    ),
  ];
}

function pendingOrders(ledger: Ledger): string[] {
  const pending = [...ledger.orders.values()].filter((order) => order.status === 'pending');
  return pending.length === 0
    ? []
    : [
        `${pending.length} orders still pending in Redis: ${sample(pending.map((o) => `${o.id} (${o.mode})`))}`,
      ];
}

/** Stock is conserved, and exactly the confirmed orders hold reserved stock. */
function stockViolations({ ledger, startingStock }: BooksInput): string[] {
  const violations: string[] = [];
  const reservedIds = [...ledger.reservations.values()].filter((r) => r.status === 'reserved');
  const confirmed = [...ledger.orders.values()].filter((o) => o.status === 'confirmed');
  for (const [sku, start] of startingStock) {
    const reserved = sumOf(
      reservedIds.map((r) => r.lines),
      sku,
    );
    const sold = sumOf(
      confirmed.map((o) => o.lines),
      sku,
    );
    const current = ledger.stock.get(sku) ?? Number.NaN;
    if (start !== current + reserved) {
      violations.push(
        `${sku}: starting stock ${start} != current ${current} + reserved ${reserved}`,
      );
    }
    if (reserved !== sold) {
      violations.push(`${sku}: reserved ${reserved} units but confirmed orders hold ${sold}`);
    }
  }
  const confirmedIds = new Set(confirmed.map((o) => o.id));
  const orphanReservations = reservedIds.filter((r) => !confirmedIds.has(r.orderId));
  const unreserved = confirmed.filter((o) => ledger.reservations.get(o.id)?.status !== 'reserved');
  if (orphanReservations.length > 0) {
    violations.push(
      `stock reserved for orders that are not confirmed: ${sample(orphanReservations.map((r) => `${r.orderId} (${describeOrder(ledger.orders.get(r.orderId))})`))}`,
    );
  }
  if (unreserved.length > 0) {
    violations.push(
      `confirmed orders without reserved stock: ${sample(unreserved.map((o) => `${o.id} (reservation ${ledger.reservations.get(o.id)?.status ?? 'missing'})`))}`,
    );
  }
  return violations;
}

/** One capture, of the right amount, per confirmed order; none for anything else. */
function paymentViolations(ledger: Ledger): string[] {
  const violations: string[] = [];
  for (const order of ledger.orders.values()) {
    const payment = ledger.payments.get(order.id);
    if (order.status === 'confirmed' && payment?.status !== 'captured') {
      violations.push(`confirmed order ${order.id} has payment ${payment?.status ?? 'missing'}`);
    } else if (order.status === 'confirmed' && payment?.amountCents !== order.totalCents) {
      violations.push(
        `confirmed order ${order.id} totals ${order.totalCents} but ${payment?.amountCents ?? '?'} was captured`,
      );
    } else if (order.status !== 'confirmed' && payment?.status === 'captured') {
      violations.push(`${describeOrder(order)} order ${order.id} has a captured payment`);
    }
  }
  for (const payment of ledger.payments.values()) {
    if ((payment.status === 'captured') !== ledger.captured.has(payment.orderId)) {
      violations.push(
        `payment ${payment.orderId} is ${payment.status} but ${ledger.captured.has(payment.orderId) ? 'is' : 'is not'} in the captured index`,
      );
    }
    if (payment.status === 'captured' && !ledger.orders.has(payment.orderId)) {
      violations.push(`payment ${payment.orderId} was captured for an order that does not exist`);
    }
  }
  for (const orderId of ledger.captured) {
    if (!ledger.payments.has(orderId))
      violations.push(`the captured index names ${orderId}, which has no payment`);
  }
  return violations;
}

function queueViolations(queues: readonly QueueDepth[]): string[] {
  const violations: string[] = [];
  for (const service of CONSUMING_SERVICES) {
    for (const name of [queuesOf(service).main, queuesOf(service).retry]) {
      const queue = queues.find((q) => q.name === name);
      if (!queue) violations.push(`queue ${name} is missing`);
      else if (queue.ready > 0 || queue.unacked > 0) {
        violations.push(
          `queue ${name} still holds ${queue.ready} ready and ${queue.unacked} unacked messages`,
        );
      }
    }
  }
  return violations;
}

/** Each parking queue holds exactly the poison injected for it (count and messageIds). */
function parkingViolations({ queues, parked, expectedParked }: BooksInput): string[] {
  const violations: string[] = [];
  for (const service of CONSUMING_SERVICES) {
    const name = queuesOf(service).parking;
    const expected = [...(expectedParked.get(name) ?? [])].sort();
    const found = [...(parked.get(name) ?? [])].sort();
    const depth = queues.find((q) => q.name === name);
    const held = depth ? depth.ready + depth.unacked : 0;
    if (held !== expected.length || JSON.stringify(found) !== JSON.stringify(expected)) {
      violations.push(
        `${name} holds ${held} messages [${found.join(', ')}], expected ${expected.length} [${expected.join(', ')}]`,
      );
    }
  }
  return violations;
}

function sumOf(orders: readonly (readonly OrderLine[])[], sku: string): number {
  return orders
    .flat()
    .filter((line) => line.sku === sku)
    .reduce((sum, line) => sum + line.quantity, 0);
}

function describeOrder(order: LedgerOrder | undefined): string {
  return order
    ? `${order.mode} ${order.status}${order.reason ? ` ${order.reason}` : ''}`
    : 'no order';
}

function sample(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} (+${items.length - max} more)` : shown;
}
