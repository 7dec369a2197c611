import { type AppLogger } from '@junction/platform';
import { FixedClock, mockOf } from '@junction/platform/testing';
import { OrdersConfig } from '../config';
import { type CheckoutCompensation } from './checkout-compensation';
import { pendingOrder } from './order.fixture';
import { InMemoryOrderStore } from './order-store.fixture';
import { OverdueQueuedOrders } from './overdue-queued-orders';

const DEADLINE_MS = 60_000;

describe(OverdueQueuedOrders.name, () => {
  const config = new OrdersConfig(
    OrdersConfig.env.parse({ QUEUED_ORDER_DEADLINE_MS: String(DEADLINE_MS) }),
  );
  const logger = mockOf<AppLogger>();
  const log = mockOf<ReturnType<AppLogger['child']>>();
  log.warn.mockReturnValue(undefined);
  log.debug.mockReturnValue(undefined);
  logger.child.mockReturnValue(log);

  /** A sweeper over an in-memory store; `peersUp()` says whether the undo reaches both peers. */
  function world(peersUp: () => boolean = () => true) {
    const clock = new FixedClock();
    const store = new InMemoryOrderStore(clock);
    const compensation = mockOf<CheckoutCompensation>();
    const undone: string[] = [];
    compensation.undo.mockImplementation((orderId) => {
      const done = peersUp();
      if (done) undone.push(orderId);
      return Promise.resolve(done);
    });
    const sweeper = new OverdueQueuedOrders(store, compensation, clock, config, logger);
    return { store, undone, sweeper, now: clock.now() };
  }

  const placedAgo = (now: Date, ms: number) =>
    pendingOrder({ mode: 'queued' }, new Date(now.getTime() - ms));

  describe('sweep', () => {
    it('rejects a queued order pending past the deadline as timeout, and compensates it once', async () => {
      const { store, undone, sweeper, now } = world();
      const stuck = placedAgo(now, DEADLINE_MS + 1);
      await store.create(stuck);

      await expect(sweeper.sweep(now)).resolves.toEqual({ timedOut: 1, compensated: 1 });

      await expect(store.find(stuck.id)).resolves.toMatchObject({
        status: 'rejected',
        reason: 'timeout',
      });
      expect(undone).toEqual([stuck.id]);
      await expect(sweeper.sweep(new Date(now.getTime() + 60_000))).resolves.toEqual({
        timedOut: 0,
        compensated: 0,
      });
      expect(undone).toEqual([stuck.id]);
    });

    it('leaves a queued order within its deadline, and any blocking checkout, alone', async () => {
      const { store, undone, sweeper, now } = world();
      const recent = placedAgo(now, DEADLINE_MS - 1_000);
      const blocking = pendingOrder({ mode: 'blocking' }, new Date(now.getTime() - 600_000));
      await store.create(recent);
      await store.create(blocking);

      await expect(sweeper.sweep(now)).resolves.toEqual({ timedOut: 0, compensated: 0 });

      await expect(store.find(recent.id)).resolves.toMatchObject({ status: 'pending' });
      await expect(store.find(blocking.id)).resolves.toMatchObject({ status: 'pending' });
      expect(undone).toEqual([]);
    });

    it('never touches an order whose saga ended before the sweep', async () => {
      const { store, undone, sweeper, now } = world();
      const confirmed = placedAgo(now, DEADLINE_MS * 2);
      await store.create(confirmed);
      await store.transition(confirmed.id, 'confirmed', '', 1200);

      await sweeper.sweep(now);

      await expect(store.find(confirmed.id)).resolves.toMatchObject({ status: 'confirmed' });
      expect(undone).toEqual([]);
    });

    it('rejects the order at once but keeps compensating it on later sweeps while a peer is down', async () => {
      let up = false;
      const { store, undone, sweeper, now } = world(() => up);
      const stuck = placedAgo(now, DEADLINE_MS * 2);
      await store.create(stuck);

      await expect(sweeper.sweep(now)).resolves.toEqual({ timedOut: 1, compensated: 0 });
      await expect(store.find(stuck.id)).resolves.toMatchObject({ reason: 'timeout' });
      const later = new Date(now.getTime() + sweeper.sweepEveryMs);
      await expect(sweeper.sweep(later)).resolves.toEqual({ timedOut: 0, compensated: 0 });

      up = true;
      const muchLater = new Date(later.getTime() + sweeper.sweepEveryMs);
      await expect(sweeper.sweep(muchLater)).resolves.toEqual({ timedOut: 0, compensated: 1 });
      expect(undone).toEqual([stuck.id]);
      await expect(store.toCompensate(muchLater)).resolves.toEqual([]);
      expect(store.transitions.filter((t) => t.orderId === stuck.id)).toHaveLength(1);
    });

    it('compensates again an order listed after a late capture', async () => {
      const { store, undone, sweeper, now } = world();
      const stuck = placedAgo(now, DEADLINE_MS * 2);
      await store.create(stuck);
      await sweeper.sweep(now);

      const captureAt = new Date(now.getTime() + 1_000);
      await store.markToCompensate(stuck.id, captureAt);
      await sweeper.sweep(new Date(captureAt.getTime() + sweeper.sweepEveryMs));

      expect(undone).toEqual([stuck.id, stuck.id]);
      await expect(store.find(stuck.id)).resolves.toMatchObject({ reason: 'timeout' });
    });

    it('sweeps often enough for a short deadline', () => {
      const short = new OrdersConfig(OrdersConfig.env.parse({ QUEUED_ORDER_DEADLINE_MS: '2000' }));
      const compensation = mockOf<CheckoutCompensation>();
      const clock = new FixedClock();
      const store = new InMemoryOrderStore(clock);
      const sweeper = new OverdueQueuedOrders(store, compensation, clock, short, logger);
      expect(sweeper.sweepEveryMs).toBe(500);
    });
  });
});
