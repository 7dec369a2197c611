import { ObservedDependencies } from '@junction/platform';
import { uniqueName } from '@junction/platform/testing';
import pino from 'pino';
import { AmqpConnection } from './connection';
import { BrokerProxy } from './spec/broker-proxy';
import { eventually as eventuallyWithin } from './spec/eventually';

const BROKER = { host: '127.0.0.1', port: 5672 };
const logger = pino({ level: 'silent' });

const eventually = (condition: () => boolean, ms = 5_000): Promise<true> =>
  eventuallyWithin(() => condition(), ms);

function observedConnection(url: string): {
  connection: AmqpConnection;
  observed: ObservedDependencies;
} {
  const observed = new ObservedDependencies(logger);
  return {
    connection: new AmqpConnection(url, uniqueName('conn-test'), logger, observed),
    observed,
  };
}

describe(AmqpConnection.name, () => {
  describe('start', () => {
    it('reports the broker connected once the connection is open', async () => {
      const { connection, observed } = observedConnection(
        `amqp://guest:guest@${BROKER.host}:${String(BROKER.port)}`,
      );
      try {
        expect(observed.report().rabbitmq).toEqual({
          kind: 'amqp',
          state: 'unknown',
          connection: 'idle',
          blocked: false,
        });
        connection.start();
        await eventually(() => connection.connected);
        expect(observed.report().rabbitmq).toMatchObject({
          state: 'up',
          connection: 'connected',
          last: { ok: true, event: 'connected' },
        });
      } finally {
        await connection.close();
      }
    });

    it('reports a broker it cannot reach as reconnecting, with the error', async () => {
      const { connection, observed } = observedConnection('amqp://guest:guest@127.0.0.1:1');
      try {
        connection.start();
        await eventually(() => observed.report().rabbitmq?.state === 'down');
        expect(observed.report().rabbitmq).toMatchObject({
          connection: 'reconnecting',
          last: { ok: false, event: 'connect_failed' },
          lastFailure: { error: expect.stringContaining('ECONNREFUSED') as unknown },
        });
      } finally {
        await connection.close();
      }
    });
  });

  describe('when the broker drops the connection', () => {
    it('reports it down while reconnecting, and up again once reconnected', async () => {
      const relay = new BrokerProxy();
      const { connection, observed } = observedConnection(await relay.listen());
      try {
        connection.start();
        await eventually(() => connection.connected);
        relay.cut();
        await eventually(() => observed.report().rabbitmq?.state === 'down');
        expect(observed.report().rabbitmq).toMatchObject({
          connection: 'reconnecting',
          last: { ok: false, event: 'closed' },
        });
        await eventually(() => observed.report().rabbitmq?.state === 'up');
        expect(observed.report().rabbitmq?.connection).toBe('connected');
      } finally {
        await connection.close();
        await relay.close();
      }
    });
  });

  describe('close', () => {
    it('does not report its own close as the broker going down', async () => {
      const { connection, observed } = observedConnection(
        `amqp://guest:guest@${BROKER.host}:${String(BROKER.port)}`,
      );
      connection.start();
      await eventually(() => connection.connected);
      await connection.close();
      expect(observed.report().rabbitmq).toMatchObject({ state: 'up', connection: 'closed' });
    });
  });
});
