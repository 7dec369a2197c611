import { mockOf } from '@junction/platform/testing';
import { type Order } from './order';
import { pendingOrder as order } from './order.fixture';
import { OrderService } from './order.service';
import { type OrderStore } from './ports';

function ordersOf(...stored: Order[]) {
  const store = mockOf<OrderStore>();
  store.find.mockImplementation((id) => Promise.resolve(stored.find((o) => o.id === id)));
  store.listIdsForUser.mockImplementation((userId) =>
    Promise.resolve(stored.filter((o) => o.userId === userId).map((o) => o.id)),
  );
  return new OrderService(store);
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
});
