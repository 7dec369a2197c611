import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { PaymentConfig } from '../../../config';
import { type ChargeCommand } from '../../../domain/payment';
import { PaymentMethods } from '../../../domain/payment-methods';
import { PaymentService } from '../../../domain/payment.service';
import { PaymentRepository } from './payment.repository';

const config = new PaymentConfig(PaymentConfig.env.parse({}));

function chargeCommand(overrides: Partial<ChargeCommand> = {}): ChargeCommand {
  return {
    orderId: `order-${randomUUID()}`,
    userId: 'user-1',
    amountCents: 2500,
    paymentMethod: 'pm_card_ok',
    ...overrides,
  };
}

/** The rule "a refund before the charge voids the order" with the real repository and Redis. */
describe(PaymentService.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'payment-late-charge' });
  });

  afterAll(async () => {
    await store.close();
  });

  const service = (redis = store.redis) =>
    new PaymentService(new PaymentRepository(redis, config), new PaymentMethods());

  describe('charge after refund', () => {
    it('refuses a charge that arrives after the refund of its order, capturing nothing', async () => {
      const command = chargeCommand();
      await expect(service().refund(command.orderId)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(service().charge(command)).rejects.toMatchObject({
        code: 'failed_precondition',
      });
      await expect(store.redis.exists(`payment:${command.orderId}`)).resolves.toBe(0);
      await expect(store.redis.zscore('captured-at', command.orderId)).resolves.toBeNull();
      await expect(service().getForUser(command.orderId, command.userId)).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('refuses a declined charge after the refund too: nothing is stored for a voided order', async () => {
      const command = chargeCommand({ paymentMethod: 'pm_card_declined' });
      await service()
        .refund(command.orderId)
        .catch(() => undefined);
      await expect(service().charge(command)).rejects.toMatchObject({
        code: 'failed_precondition',
      });
      await expect(store.redis.exists(`payment:${command.orderId}`)).resolves.toBe(0);
    });

    it('ends every race of a charge and a refund of one order with no money kept', async () => {
      const connections = Array.from({ length: 4 }, () => store.anotherConnection());
      for (let round = 0; round < 20; round++) {
        const command = chargeCommand();
        const [charge, refund] = await Promise.allSettled([
          service(connections[round % 4]).charge(command),
          service(connections[(round + 1) % 4]).refund(command.orderId),
        ]);
        const kept = await store.redis.zscore('captured-at', command.orderId);
        expect(kept).toBeNull();
        if (charge.status === 'fulfilled') {
          // The charge got in first, so the refund found it and refunded it.
          expect(refund).toMatchObject({ status: 'fulfilled', value: { status: 'refunded' } });
        } else {
          expect(charge.reason).toMatchObject({ code: 'failed_precondition' });
          expect(refund).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
        }
      }
    });
  });
});
