import pino from 'pino';
import { ServiceIdentity } from '../lifecycle/service-identity';
import { HealthController } from './health.controller';
import { ObservedDependencies } from './observed-dependencies';
import { Readiness } from './readiness';

function controller(): { health: HealthController; observed: ObservedDependencies } {
  const readiness = new Readiness();
  readiness.register({ name: 'redis', check: () => Promise.resolve(undefined) });
  const observed = new ObservedDependencies(pino({ level: 'silent' }));
  return {
    health: new HealthController(readiness, observed, new ServiceIdentity('orders')),
    observed,
  };
}

describe(HealthController.name, () => {
  describe('status', () => {
    it('shows readiness beside what was observed, and a down peer leaves readiness alone', async () => {
      const { health, observed } = controller();
      observed.track('payment', 'grpc').failed('connect ECONNREFUSED', {
        method: 'charge',
        outcome: 'UNAVAILABLE',
      });
      observed.track('rabbitmq', 'amqp').failed('connect ECONNREFUSED');

      const status = await health.status();

      expect(status.service).toBe('orders');
      expect(status.readiness).toEqual({
        ready: true,
        status: 'ready',
        checks: { redis: { status: 'up' } },
      });
      expect(Object.keys(status.dependencies)).toEqual(['payment', 'rabbitmq']);
      expect(status.dependencies.payment).toMatchObject({
        state: 'down',
        last: { outcome: 'UNAVAILABLE' },
      });
    });
  });

  describe('live', () => {
    it('answers ok without asking anything outside the process', () => {
      expect(controller().health.live()).toEqual({ status: 'ok' });
    });
  });
});
