import { randomUUID } from 'node:crypto';
import { TestRedis } from '@junction/platform/testing';
import { PaymentConfig } from '../../../config';
import { type Payment } from '../../../domain/payment';
import { PaymentRepository } from './payment.repository';

const config = new PaymentConfig(PaymentConfig.env.parse({}));

function payment(overrides: Partial<Payment> = {}): Payment {
  return {
    orderId: `order-${randomUUID()}`,
    userId: 'user-1',
    amountCents: 2500,
    status: 'captured',
    declineReason: '',
    ...overrides,
  };
}

describe(PaymentRepository.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'payment-repository' });
  });

  afterAll(async () => {
    await store.close();
  });

  describe('createOnce', () => {
    it('creates one payment when 10 charges of the order race', async () => {
      const connections = Array.from({ length: 5 }, () => store.anotherConnection());
      const orderId = `order-${randomUUID()}`;
      const attempts = Array.from({ length: 10 }, (_, i) =>
        payment({ orderId, amountCents: 100 + i }),
      );
      const created = await Promise.all(
        attempts.map((attempt, i) =>
          new PaymentRepository(connections[i % connections.length]!, config).createOnce(attempt),
        ),
      );
      expect(created.filter((outcome) => outcome === 'created')).toHaveLength(1);
      const winner = attempts[created.indexOf('created')]!;
      await expect(new PaymentRepository(store.redis, config).find(orderId)).resolves.toEqual(
        winner,
      );
      await expect(store.redis.zrange('captured-at', 0, -1)).resolves.toContain(orderId);
    });

    it('stores a declined payment with its reason, outside the captured index', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const declined = payment({ status: 'declined', declineReason: 'card_declined' });
      await expect(repository.createOnce(declined)).resolves.toBe('created');
      await expect(repository.find(declined.orderId)).resolves.toEqual(declined);
      await expect(store.redis.zscore('captured-at', declined.orderId)).resolves.toBeNull();
    });
  });

  describe('voidUnlessCharged', () => {
    it('voids an order without a payment, so no payment can be created for it', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const late = payment();
      await expect(repository.voidUnlessCharged(late.orderId)).resolves.toBe(true);
      await expect(repository.voidUnlessCharged(late.orderId)).resolves.toBe(true);
      await expect(repository.createOnce(late)).resolves.toBe('voided');
      await expect(repository.find(late.orderId)).resolves.toBeUndefined();
      await expect(store.redis.zscore('captured-at', late.orderId)).resolves.toBeNull();
    });

    it('does not void an order that has a payment', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const captured = payment();
      await repository.createOnce(captured);
      await expect(repository.voidUnlessCharged(captured.orderId)).resolves.toBe(false);
      await expect(repository.find(captured.orderId)).resolves.toEqual(captured);
    });
  });

  describe('markRefunded', () => {
    it('refunds a captured payment once', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const captured = payment();
      await repository.createOnce(captured);
      await expect(repository.markRefunded(captured.orderId)).resolves.toBe(true);
      await expect(repository.markRefunded(captured.orderId)).resolves.toBe(false);
      await expect(repository.find(captured.orderId)).resolves.toMatchObject({
        status: 'refunded',
      });
      await expect(store.redis.zscore('captured-at', captured.orderId)).resolves.toBeNull();
    });

    it('does not refund a declined payment', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const declined = payment({ status: 'declined', declineReason: 'card_declined' });
      await repository.createOnce(declined);
      await expect(repository.markRefunded(declined.orderId)).resolves.toBe(false);
      await expect(repository.find(declined.orderId)).resolves.toMatchObject({
        status: 'declined',
      });
    });
  });

  describe('retention', () => {
    const retention = config.paymentRetentionSeconds;
    const expectRetained = async (key: string) => {
      const ttl = await store.redis.ttl(key);
      expect(ttl).toBeGreaterThan(retention - 60);
      expect(ttl).toBeLessThanOrEqual(retention);
    };

    it('expires a payment and the captured index the retention after the charge', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const captured = payment();
      await repository.createOnce(captured);
      await expectRetained(`payment:${captured.orderId}`);
      await expectRetained('captured-at');
      await expect(store.redis.zscore('captured-at', captured.orderId)).resolves.not.toBeNull();
    });

    it('expires a declined payment and a void record', async () => {
      const repository = new PaymentRepository(store.redis, config);
      const declined = payment({ status: 'declined', declineReason: 'card_declined' });
      await repository.createOnce(declined);
      await expectRetained(`payment:${declined.orderId}`);
      const voided = `order-${randomUUID()}`;
      await expect(repository.voidUnlessCharged(voided)).resolves.toBe(true);
      await expectRetained(`void:${voided}`);
    });

    it('drops captures older than the retention from the index when it gains one', async () => {
      const [seconds] = await store.redis.time();
      const old = `order-${randomUUID()}`;
      await store.redis.zadd('captured-at', (Number(seconds) - retention - 60) * 1000, old);
      await new PaymentRepository(store.redis, config).createOnce(payment());
      await expect(store.redis.zscore('captured-at', old)).resolves.toBeNull();
    });
  });

  describe('find', () => {
    it('finds nothing for an order without a payment', async () => {
      await expect(
        new PaymentRepository(store.redis, config).find(`order-${randomUUID()}`),
      ).resolves.toBeUndefined();
    });
  });
});
