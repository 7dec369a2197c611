// Chaos, CI-sized. First the books audit itself, on small hand-made books broken in one place
// each (every rule must be able to fail). Then each scenario of tools/chaos marked for CI (a
// SIGKILLed service, a RabbitMQ restart, a slow consumer, duplicates, poison) runs at `--quick`
// size against the five services as processes, and the books in Redis and on the broker must
// hold afterwards; the last test breaks real books behind the services' back and expects the
// audit to say so. `npm run chaos` runs every scenario at full size (docs/reliability.md).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditBooks } from '../../tools/chaos/books.mts';
import {
  prepareChaosInfrastructure,
  removeChaosInfrastructure,
} from '../../tools/chaos/infrastructure.mts';
import { ensureBrokerRunning } from '../../tools/chaos/rabbitmq.mts';
import { runScenario, type ScenarioResult } from '../../tools/chaos/runner.mts';
import { baseline, CI_SCENARIOS } from '../../tools/chaos/scenarios.mts';
import {
  booksInput,
  consistentBooks,
  type MutableBooks,
  setQueueDepth,
} from './support/chaos-books.mts';
import { deleteOneReservation } from './support/chaos-sabotage.mts';

function violationsOf(breakBooks: (books: MutableBooks) => void): readonly string[] {
  const books = consistentBooks();
  breakBooks(books);
  return auditBooks(booksInput(books)).violations;
}

function explain(result: ScenarioResult): string {
  return `${result.violations.join('\n')}\nnotes: ${result.notes.join('; ')}\nlogs: ${result.logsDir}`;
}

describe(auditBooks.name, () => {
  it('finds nothing wrong in consistent books', () => {
    assert.deepEqual(
      violationsOf(() => undefined),
      [],
    );
  });

  it('reports an accepted order that is missing', () => {
    const violations = violationsOf((books) => books.orders.delete('sold'));
    assert.ok(
      violations.some((v) =>
        v.startsWith('1 accepted orders never reached a terminal state: sold'),
      ),
    );
  });

  it('reports a 201 whose answer differs from the stored order', () => {
    const violations = violationsOf((books) => {
      const answered = books.placements[1];
      if (answered) answered.answeredStatus = 'confirmed';
    });
    assert.deepEqual(violations, ['order declined was answered 201 confirmed but is rejected']);
  });

  it('reports stock that is neither on the shelf nor reserved', () => {
    const violations = violationsOf((books) => books.stock.set('JNC-MUG', 8));
    assert.deepEqual(violations, ['JNC-MUG: starting stock 10 != current 8 + reserved 1']);
  });

  it('reports a capture for a rejected order', () => {
    const violations = violationsOf((books) => {
      books.payments.set('declined', {
        orderId: 'declined',
        status: 'captured',
        amountCents: 1200,
      });
      books.captured.add('declined');
    });
    assert.deepEqual(violations, [
      'blocking rejected payment_declined order declined has a captured payment',
    ]);
  });

  it('reports a capture of the wrong amount', () => {
    const violations = violationsOf((books) =>
      books.payments.set('sold', { orderId: 'sold', status: 'captured', amountCents: 2400 }),
    );
    assert.deepEqual(violations, ['confirmed order sold totals 1200 but 2400 was captured']);
  });

  it('reports events left in the outbox and messages left in a retry queue', () => {
    const violations = violationsOf((books) => {
      books.outboxLength = 2;
      setQueueDepth(books, 'inventory.events.retry', 0, 3);
    });
    assert.deepEqual(violations, [
      'the outbox still holds 2 events',
      'queue inventory.events.retry still holds 0 ready and 3 unacked messages',
    ]);
  });

  it('reports parked messages that were not injected, and injected poison that is missing', () => {
    const violations = violationsOf((books) => {
      books.parked.set('orders.events.parking', ['payment.captured:sold']);
      setQueueDepth(books, 'orders.events.parking', 1, 0);
      books.expectedParked.set('inventory.events.parking', ['poison-1']);
    });
    assert.deepEqual(violations, [
      'inventory.events.parking holds 0 messages [], expected 1 [poison-1]',
      'orders.events.parking holds 1 messages [payment.captured:sold], expected 0 []',
    ]);
  });
});

describe('chaos scenarios', () => {
  before(prepareChaosInfrastructure);

  after(async () => {
    await ensureBrokerRunning();
    await removeChaosInfrastructure();
  });

  for (const scenario of CI_SCENARIOS) {
    it(`keeps the books through: ${scenario.title}`, async () => {
      const result = await runScenario(scenario, { quick: true });
      assert.ok(result.books.accepted > 0, 'no order was accepted');
      assert.deepEqual(result.violations, [], explain(result));
    });
  }

  it('reports broken books when a reservation disappears behind the services’ back', async () => {
    let sabotaged = '';
    const result = await runScenario(baseline, {
      quick: true,
      load: { durationMs: 3_000 },
      sabotage: async (redis) => {
        sabotaged = await deleteOneReservation(redis);
      },
    });
    assert.ok(
      result.violations.some((v) => /starting stock \d+ != current \d+ \+ reserved \d+/.test(v)),
      explain(result),
    );
    assert.ok(
      result.violations.some(
        (v) => v.includes('confirmed orders without reserved stock') && v.includes(sabotaged),
      ),
      explain(result),
    );
  });
});
