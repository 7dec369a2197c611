import { randomUUID } from 'node:crypto';
import { EVENT_EXAMPLES, type InventoryReservedEvent, ROUTING_KEYS } from '@junction/contracts';
import { mockOf, TestRedis } from '@junction/platform/testing';
import { PaymentConfig } from '../../../config';
import { PaymentMethods } from '../../../domain/payment-methods';
import { PaymentService } from '../../../domain/payment.service';
import { type PaymentEvents } from '../../../domain/ports';
import { PaymentRepository } from '../../out/redis/payment.repository';

const config = new PaymentConfig(PaymentConfig.env.parse({}));
import { InventoryReservedConsumer } from './inventory-reserved.consumer';

function reserved(orderId: string): InventoryReservedEvent {
  return {
    ...EVENT_EXAMPLES[ROUTING_KEYS.inventoryReserved],
    messageId: `inventory.reserved:${orderId}`,
    orderId,
  };
}

describe(InventoryReservedConsumer.name, () => {
  let store: TestRedis;

  beforeAll(async () => {
    store = await TestRedis.connect({ label: 'payment-inventory-reserved' });
  });

  afterAll(async () => {
    await store.close();
  });

  function consumer() {
    const service = new PaymentService(
      new PaymentRepository(store.redis, config),
      new PaymentMethods(),
    );
    const decided: string[] = [];
    const events = mockOf<PaymentEvents>();
    events.chargeDecided.mockImplementation((payment) => {
      decided.push(`${payment.orderId}:${payment.status}`);
      return Promise.resolve();
    });
    return { service, decided, consumer: new InventoryReservedConsumer(service, events) };
  }

  describe('handle', () => {
    it('charges a reserved order and says so', async () => {
      const { consumer: handler, decided } = consumer();
      const orderId = `order-${randomUUID()}`;
      await handler.handle(reserved(orderId));
      expect(decided).toEqual([`${orderId}:captured`]);
    });

    it('settles a reserved order voided before its charge without charging or saying anything', async () => {
      const { consumer: handler, decided, service } = consumer();
      const orderId = `order-${randomUUID()}`;
      await expect(service.refund(orderId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(handler.handle(reserved(orderId))).resolves.toBeUndefined();
      expect(decided).toEqual([]);
      await expect(store.redis.zscore('captured-at', orderId)).resolves.toBeNull();
    });
  });
});
