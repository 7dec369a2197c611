import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allServiceQueues, CONSUMING_SERVICES, queuesOf, SAGA_QUEUES } from './constants.mts';

describe('CONSUMING_SERVICES', () => {
  it('lists the consumers of topology.yaml in the order the saga reaches them', () => {
    assert.deepEqual(CONSUMING_SERVICES, ['inventory', 'payment', 'orders']);
  });
});

describe('SAGA_QUEUES', () => {
  it('is the main queue of each consumer, in saga order', () => {
    assert.deepEqual(SAGA_QUEUES, ['inventory.events', 'payment.events', 'orders.events']);
  });
});

describe('allServiceQueues', () => {
  it('names the main, retry and parking queue of every consumer', () => {
    assert.deepEqual(queuesOf('payment'), {
      main: 'payment.events',
      retry: 'payment.events.retry',
      parking: 'payment.events.parking',
    });
    assert.equal(allServiceQueues().length, 3 * CONSUMING_SERVICES.length);
    assert.ok(allServiceQueues().includes('orders.events.parking'));
  });
});
