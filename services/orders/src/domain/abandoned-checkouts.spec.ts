import { type AppLogger } from '@junction/platform';
import { FixedClock, mockOf } from '@junction/platform/testing';
import { OrdersConfig } from '../config';
import { AbandonedCheckouts } from './abandoned-checkouts';
import { type CheckoutCompensation } from './checkout-compensation';
import { type Order } from './order';
import { pendingOrder } from './order.fixture';
import { InMemoryOrderStore } from './order-store.fixture';

function blockingOrder(startedAt: Date, overrides: Partial<Order> = {}): Order {
  return pendingOrder({ mode: 'blocking', ...overrides }, startedAt);
}

describe(AbandonedCheckouts.name, () => {
  const config = new OrdersConfig(OrdersConfig.env.parse({ CHECKOUT_BUDGET_MS: '5000' }));
  const logger = mockOf<AppLogger>();
  const log = mockOf<ReturnType<AppLogger['child']>>();
  log.warn.mockReturnValue(undefined);
  logger.child.mockReturnValue(log);

  function sweeper(undo: (orderId: string) => Promise<boolean>) {
    const clock = new FixedClock();
    const repository = new InMemoryOrderStore(clock);
    const compensation = mockOf<CheckoutCompensation>();
    const undone: string[] = [];
    compensation.undo.mockImplementation(async (orderId) => {
      const done = await undo(orderId);
      if (done) undone.push(orderId);
      return done;
    });
    return {
      repository,
      undone,
      now: clock.now(),
      sweeper: new AbandonedCheckouts(repository, compensation, clock, config, logger),
    };
  }

  describe('sweep', () => {
    it('undoes and rejects a blocking checkout older than twice the budget, as interrupted', async () => {
      const world = sweeper(() => Promise.resolve(true));
      const now = world.now;
      const old = blockingOrder(new Date(now.getTime() - 11_000));
      await world.repository.create(old);

      await expect(world.sweeper.sweep(now)).resolves.toBe(1);

      expect(world.undone).toEqual([old.id]);
      await expect(world.repository.find(old.id)).resolves.toMatchObject({
        status: 'rejected',
        reason: 'interrupted',
      });
      await expect(world.sweeper.sweep(now)).resolves.toBe(0);
    });

    it("sweeps at the Clock's time when not given one", async () => {
      const world = sweeper(() => Promise.resolve(true));
      const old = blockingOrder(new Date(world.now.getTime() - 11_000));
      await world.repository.create(old);

      await expect(world.sweeper.sweep()).resolves.toBe(1);
      expect(world.undone).toEqual([old.id]);
    });

    it('leaves a checkout that may still be running alone', async () => {
      const world = sweeper(() => Promise.resolve(true));
      const now = world.now;
      const recent = blockingOrder(new Date(now.getTime() - 3_000));
      await world.repository.create(recent);

      await world.sweeper.sweep(now);

      await expect(world.repository.find(recent.id)).resolves.toMatchObject({ status: 'pending' });
      expect(world.undone).not.toContain(recent.id);
    });

    it('keeps an order in flight while a peer cannot be reached, and closes it on a later sweep', async () => {
      let peerUp = false;
      const world = sweeper(() => Promise.resolve(peerUp));
      const now = world.now;
      const old = blockingOrder(new Date(now.getTime() - 60_000));
      await world.repository.create(old);

      await world.sweeper.sweep(now);
      await expect(world.repository.find(old.id)).resolves.toMatchObject({ status: 'pending' });

      peerUp = true;
      await world.sweeper.sweep(now);
      await expect(world.repository.find(old.id)).resolves.toMatchObject({
        status: 'rejected',
        reason: 'interrupted',
      });
    });

    it('never touches a blocking checkout that finished', async () => {
      const world = sweeper(() => Promise.resolve(true));
      const now = world.now;
      const finished = blockingOrder(new Date(now.getTime() - 60_000));
      await world.repository.create(finished);
      await world.repository.transition(finished.id, 'confirmed', '', 1200);

      await world.sweeper.sweep(now);

      expect(world.undone).not.toContain(finished.id);
      await expect(world.repository.find(finished.id)).resolves.toMatchObject({
        status: 'confirmed',
      });
    });
  });
});
