import { SequentialIds } from '@junction/platform/testing';
import { type Order } from './order';

const orderIds = new SequentialIds('order');
const userIds = new SequentialIds('user');

/**
 * For tests: a queued order of one mug, pending since `at`, by a user of its own. `overrides`
 * set what a test is about (its user, mode, status, …). Ids are unique within a test file;
 * a test against a shared store passes ids of its own.
 */
export function pendingOrder(
  overrides: Partial<Order> = {},
  at = new Date('2026-01-01T00:00:00.000Z'),
): Order {
  const time = at.toISOString();
  return {
    id: orderIds.newId(),
    userId: userIds.newId(),
    mode: 'queued',
    status: 'pending',
    reason: '',
    lines: [{ sku: 'JNC-MUG', quantity: 1 }],
    paymentMethod: 'pm_card_ok',
    totalCents: 0,
    createdAt: time,
    updatedAt: time,
    history: [{ status: 'pending', reason: '', at: time }],
    ...overrides,
  };
}
