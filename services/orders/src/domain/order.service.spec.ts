import { FixedClock, mockOf } from '@junction/platform/testing';
import { type Order } from './order';
import { pendingOrder as order } from './order.fixture';
import { OrderService } from './order.service';
import { InMemoryOrderStore } from './order-store.fixture';
import { type OrderStore } from './ports';

function ordersOf(...stored: Order[]) {
  const store = mockOf<OrderStore>();
  store.find.mockImplementation((id) => Promise.resolve(stored.find((o) => o.id === id)));
  store.listIdsForUser.mockImplementation((userId) =>
    Promise.resolve(stored.filter((o) => o.userId === userId).map((o) => o.id)),
  );
  return new OrderService(store, new FixedClock());
}

describe(OrderService.name, () => {
  describe('getForUser', () => {
    it("returns the user's own order", async () => {
      const mine = order({ userId: 'alice' });
      await expect(ordersOf(mine).getForUser(mine.id, 'alice')).resolves.toEqual(mine);
    });

    it("answers not_found for another user's order, so its existence does not leak", async () => {
      const theirs = order({ userId: 'bob' });
      await expect(ordersOf(theirs).getForUser(theirs.id, 'alice')).rejects.toMatchObject({
        code: 'not_found',
        message: `no order ${theirs.id}`,
      });
    });
  });

  describe('listForUser', () => {
    it("lists only the user's own orders", async () => {
      const mine = order({ userId: 'alice' });
      const service = ordersOf(mine, order({ userId: 'bob' }));
      await expect(service.listForUser('alice')).resolves.toEqual([mine]);
    });
  });

  describe('paymentDeclined', () => {
    it('rejects a pending order and lists it to compensate, in case inventory missed the event', async () => {
      const clock = new FixedClock();
      const store = new InMemoryOrderStore(clock);
      const service = new OrderService(store, clock);
      const pending = order();
      await store.create(pending);

      await expect(service.paymentDeclined(pending.id)).resolves.toBe(true);

      await expect(store.find(pending.id)).resolves.toMatchObject({
        status: 'rejected',
        reason: 'payment_declined',
      });
      await expect(store.toCompensate(clock.now())).resolves.toEqual([pending.id]);
    });

    it('changes nothing for an order that has ended already', async () => {
      const clock = new FixedClock();
      const store = new InMemoryOrderStore(clock);
      const service = new OrderService(store, clock);
      const confirmed = order();
      await store.create(confirmed);
      await service.paymentCaptured(confirmed.id, 1200);

      await expect(service.paymentDeclined(confirmed.id)).resolves.toBe(false);
      expect((await store.find(confirmed.id))?.status).toBe('confirmed');
      expect(store.toCompensateList.size).toBe(0);
    });
  });

  describe('paymentCaptured', () => {
    function world() {
      const clock = new FixedClock();
      const store = new InMemoryOrderStore(clock);
      return { store, service: new OrderService(store, clock), now: clock.now() };
    }

    it('confirms a pending order with the captured amount', async () => {
      const { store, service } = world();
      const pending = order();
      await store.create(pending);
      await expect(service.paymentCaptured(pending.id, 1200)).resolves.toBe(true);
      await expect(store.find(pending.id)).resolves.toMatchObject({
        status: 'confirmed',
        totalCents: 1200,
      });
      expect(store.toCompensateList.size).toBe(0);
    });

    it('leaves an order that timed out rejected, and lists it so that the capture is refunded', async () => {
      const { store, service, now } = world();
      const late = order();
      await store.create(late);
      await store.rejectToCompensate(late.id, 'timeout', new Date(now.getTime() - 60_000));
      await store.compensated(late.id, now);

      await expect(service.paymentCaptured(late.id, 1200)).resolves.toBe(false);

      await expect(store.find(late.id)).resolves.toMatchObject({
        status: 'rejected',
        reason: 'timeout',
        totalCents: 0,
      });
      await expect(store.toCompensate(now)).resolves.toEqual([late.id]);
    });

    it('changes nothing for a duplicate capture of a confirmed order', async () => {
      const { store, service } = world();
      const confirmed = order();
      await store.create(confirmed);
      await service.paymentCaptured(confirmed.id, 1200);
      await expect(service.paymentCaptured(confirmed.id, 1200)).resolves.toBe(false);
      expect(store.toCompensateList.size).toBe(0);
      expect((await store.find(confirmed.id))?.history).toHaveLength(2);
    });
  });
});
