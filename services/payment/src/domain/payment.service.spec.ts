import { mockOf } from '@junction/platform/testing';
import { type ChargeCommand, type Payment } from './payment';
import { PaymentMethods } from './payment-methods';
import { PaymentService } from './payment.service';
import { type PaymentStore } from './ports';

let orderCount = 0;
function chargeCommand(overrides: Partial<ChargeCommand> = {}): ChargeCommand {
  orderCount += 1;
  return {
    orderId: `order-${orderCount}`,
    userId: 'user-1',
    amountCents: 4200,
    paymentMethod: 'pm_card_ok',
    ...overrides,
  };
}

/**
 * An automocked PaymentStore backed by a map, so the test can look at what was stored. createOnce
 * keeps the first payment of an order, like the repository's Lua script it stands for.
 */
function paymentStore(...existing: Payment[]) {
  const stored = new Map(existing.map((p) => [p.orderId, p]));
  const voided = new Set<string>();
  const repository = mockOf<PaymentStore>();
  repository.find.mockImplementation((orderId) => Promise.resolve(stored.get(orderId)));
  repository.createOnce.mockImplementation((payment) => {
    if (stored.has(payment.orderId)) return Promise.resolve('exists');
    if (voided.has(payment.orderId)) return Promise.resolve('voided');
    stored.set(payment.orderId, payment);
    return Promise.resolve('created');
  });
  repository.voidUnlessCharged.mockImplementation((orderId) => {
    if (stored.has(orderId)) return Promise.resolve(false);
    voided.add(orderId);
    return Promise.resolve(true);
  });
  repository.markRefunded.mockImplementation((orderId) => {
    const payment = stored.get(orderId);
    if (payment?.status !== 'captured') return Promise.resolve(false);
    stored.set(orderId, { ...payment, status: 'refunded' });
    return Promise.resolve(true);
  });
  return { repository, stored, service: new PaymentService(repository, new PaymentMethods()) };
}

describe(PaymentService.name, () => {
  describe('charge', () => {
    it('captures a charge to pm_card_ok', async () => {
      const { service, stored } = paymentStore();
      const command = chargeCommand({ paymentMethod: 'pm_card_ok', amountCents: 1999 });
      const payment = await service.charge(command);
      expect(payment).toEqual({
        orderId: command.orderId,
        userId: command.userId,
        amountCents: 1999,
        status: 'captured',
        declineReason: '',
      });
      expect(stored.get(command.orderId)).toEqual(payment);
    });

    it('declines a charge to pm_card_declined with card_declined', async () => {
      const { service } = paymentStore();
      await expect(
        service.charge(chargeCommand({ paymentMethod: 'pm_card_declined' })),
      ).resolves.toMatchObject({ status: 'declined', declineReason: 'card_declined' });
    });

    it('declines a payment method it does not know with unsupported_payment_method', async () => {
      const { service } = paymentStore();
      await expect(
        service.charge(chargeCommand({ paymentMethod: 'pm_card_mystery' })),
      ).resolves.toMatchObject({ status: 'declined', declineReason: 'unsupported_payment_method' });
    });

    it('answers a second charge of the order with the first outcome, charging nothing new', async () => {
      const { service, stored } = paymentStore();
      const first = chargeCommand({ paymentMethod: 'pm_card_declined', amountCents: 100 });
      const declined = await service.charge(first);
      const retry = await service.charge({ ...first, paymentMethod: 'pm_card_ok', amountCents: 9 });
      expect(retry).toEqual(declined);
      expect([...stored.values()]).toEqual([declined]);
    });

    it('returns the payment that won when another charge of the order got there first', async () => {
      const { service, repository, stored } = paymentStore();
      const command = chargeCommand({ paymentMethod: 'pm_card_declined' });
      const winner: Payment = {
        orderId: command.orderId,
        userId: command.userId,
        amountCents: command.amountCents,
        status: 'captured',
        declineReason: '',
      };
      // Nothing yet when this charge looks, but the concurrent one stores its payment first.
      repository.find.mockResolvedValueOnce(undefined);
      repository.createOnce.mockImplementationOnce(() => {
        stored.set(command.orderId, winner);
        return Promise.resolve('exists');
      });
      await expect(service.charge(command)).resolves.toEqual(winner);
    });

    it('refuses with failed_precondition to charge an order refunded before any charge, storing nothing', async () => {
      const { service, stored } = paymentStore();
      const command = chargeCommand();
      await expect(service.refund(command.orderId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(service.charge(command)).rejects.toMatchObject({
        code: 'failed_precondition',
        message: `order ${command.orderId} was voided before it was charged`,
      });
      expect(stored.has(command.orderId)).toBe(false);
    });
  });

  describe('refund', () => {
    it('refunds a captured payment', async () => {
      const { service } = paymentStore();
      const { orderId } = await service.charge(chargeCommand());
      await expect(service.refund(orderId)).resolves.toMatchObject({ status: 'refunded' });
    });

    it('is idempotent: refunding a refunded payment returns it unchanged', async () => {
      const { service } = paymentStore();
      const { orderId } = await service.charge(chargeCommand());
      const refunded = await service.refund(orderId);
      await expect(service.refund(orderId)).resolves.toEqual(refunded);
    });

    it('refuses to refund a declined payment with failed_precondition', async () => {
      const { service, stored } = paymentStore();
      const { orderId } = await service.charge(
        chargeCommand({ paymentMethod: 'pm_card_declined' }),
      );
      await expect(service.refund(orderId)).rejects.toMatchObject({
        code: 'failed_precondition',
        message: `payment for order ${orderId} is declined, not captured`,
      });
      expect(stored.get(orderId)?.status).toBe('declined');
    });

    it('answers not_found for an order that was never charged, every time', async () => {
      const { service } = paymentStore();
      await expect(service.refund('order-never')).rejects.toMatchObject({ code: 'not_found' });
      await expect(service.refund('order-never')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refunds the charge that got in between its look and its void', async () => {
      const { service, repository } = paymentStore();
      const command = chargeCommand();
      await service.charge(command);
      // Nothing yet when the refund looks; the concurrent charge stored its payment first.
      repository.find.mockResolvedValueOnce(undefined);
      await expect(service.refund(command.orderId)).resolves.toMatchObject({
        status: 'refunded',
      });
    });
  });

  describe('getForUser', () => {
    it("returns the user's own payment", async () => {
      const { service } = paymentStore();
      const payment = await service.charge(chargeCommand({ userId: 'alice' }));
      await expect(service.getForUser(payment.orderId, 'alice')).resolves.toEqual(payment);
    });

    it("answers not_found for another user's payment, so its existence does not leak", async () => {
      const { service } = paymentStore();
      const payment = await service.charge(chargeCommand({ userId: 'alice' }));
      await expect(service.getForUser(payment.orderId, 'mallory')).rejects.toMatchObject({
        code: 'not_found',
        message: `no payment for order ${payment.orderId}`,
      });
    });

    it('answers not_found for an order without a payment', async () => {
      const { service } = paymentStore();
      await expect(service.getForUser('order-none', 'alice')).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });
});
