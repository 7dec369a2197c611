import { randomUUID } from 'node:crypto';
import { type Order } from './order';

/**
 * For tests: a queued order of one mug, pending since `at`, by a user of its own. `overrides`
 * set what a test is about (its user, mode, status, …).
 */
export function pendingOrder(overrides: Partial<Order> = {}, at = new Date()): Order {
  const time = at.toISOString();
  return {
    id: randomUUID(),
    userId: randomUUID(),
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
