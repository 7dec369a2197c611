// Test data for the chaos books audit: a small, consistent set of books (one confirmed queued
// order, one declined blocking order, empty queues) that a test then breaks in one place.
import { allServiceQueues, CARDS, DEFAULT_SKU, type QueueDepth } from '@junction/testkit';
import { type BooksInput } from '../../../tools/chaos/books.mts';
import {
  type LedgerOrder,
  type LedgerPayment,
  type LedgerReservation,
} from '../../../tools/chaos/ledger.mts';
import { type Placement } from '../../../tools/chaos/load.mts';

export interface MutableBooks {
  readonly orders: Map<string, LedgerOrder>;
  readonly reservations: Map<string, LedgerReservation>;
  readonly payments: Map<string, LedgerPayment>;
  readonly captured: Set<string>;
  readonly stock: Map<string, number>;
  outboxLength: number;
  readonly placements: Placement[];
  readonly queues: QueueDepth[];
  readonly parked: Map<string, string[]>;
  readonly expectedParked: Map<string, string[]>;
}

const SKU = DEFAULT_SKU;
const line = { sku: SKU, quantity: 1 };

/** Consistent books: 10 mugs at the start, one sold (order `sold`), one declined (`declined`). */
export function consistentBooks(): MutableBooks {
  const order = (id: string, mode: string, status: string, reason: string): LedgerOrder => ({
    id,
    status,
    reason,
    mode,
    totalCents: 1200,
    lines: [line],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
  });
  const placement = (
    index: number,
    orderId: string,
    mode: 'queued' | 'blocking',
    httpStatus: number,
    answeredStatus: string,
  ): Placement => ({
    index,
    mode,
    sku: SKU,
    quantity: 1,
    paymentMethod: CARDS.approved,
    userId: 'user-1',
    sentAtMs: index * 50,
    httpStatus,
    orderId,
    answeredStatus,
  });
  return {
    orders: new Map([
      ['sold', order('sold', 'queued', 'confirmed', '')],
      ['declined', order('declined', 'blocking', 'rejected', 'payment_declined')],
    ]),
    reservations: new Map([
      ['sold', { orderId: 'sold', status: 'reserved', lines: [line] }],
      ['declined', { orderId: 'declined', status: 'released', lines: [line] }],
    ]),
    payments: new Map([
      ['sold', { orderId: 'sold', status: 'captured', amountCents: 1200 }],
      ['declined', { orderId: 'declined', status: 'declined', amountCents: 1200 }],
    ]),
    captured: new Set(['sold']),
    stock: new Map([[SKU, 9]]),
    outboxLength: 0,
    placements: [
      placement(0, 'sold', 'queued', 202, 'pending'),
      placement(1, 'declined', 'blocking', 201, 'rejected'),
    ],
    queues: allServiceQueues().map((name) => ({ name, ready: 0, unacked: 0, consumers: 1 })),
    parked: new Map(),
    expectedParked: new Map(),
  };
}

/** Sets what `rabbitmqctl list_queues` reports for one queue. */
export function setQueueDepth(
  books: MutableBooks,
  name: string,
  ready: number,
  unacked: number,
): void {
  const index = books.queues.findIndex((queue) => queue.name === name);
  if (index < 0) throw new Error(`no queue ${name}`);
  books.queues[index] = { name, ready, unacked, consumers: 1 };
}

export function booksInput(books: MutableBooks): BooksInput {
  return {
    ledger: {
      orders: books.orders,
      reservations: books.reservations,
      payments: books.payments,
      captured: books.captured,
      stock: books.stock,
      outboxLength: books.outboxLength,
    },
    placements: books.placements,
    startingStock: new Map([[SKU, 10]]),
    queues: books.queues,
    parked: books.parked,
    expectedParked: books.expectedParked,
  };
}
