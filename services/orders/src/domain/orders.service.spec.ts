import { mockOf } from '@junction/platform/testing';
import { type OrdersRepository } from '../store/orders.repository';
import { type Order } from './order';
import { pendingOrder as order } from './order.fixture';
import { OrdersService } from './orders.service';

function ordersOf(...stored: Order[]) {
  const repository = mockOf<OrdersRepository>();
  repository.find.mockImplementation((id) => Promise.resolve(stored.find((o) => o.id === id)));
  repository.listIdsForUser.mockImplementation((userId) =>
    Promise.resolve(stored.filter((o) => o.userId === userId).map((o) => o.id)),
  );
  return new OrdersService(repository);
}

describe(OrdersService.name, () => {
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
