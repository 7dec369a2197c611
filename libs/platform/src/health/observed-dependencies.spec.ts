import { Writable } from 'node:stream';
import pino from 'pino';
import { ObservedDependencies } from './observed-dependencies';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly dependency?: string;
}

/** A registry whose log lines are kept, and a clock the test moves. */
function registry(): { observed: ObservedDependencies; lines: LogLine[]; tick: () => void } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  let now = Date.parse('2026-01-01T00:00:00.000Z');
  const observed = new ObservedDependencies(pino({ level: 'info' }, sink), () => new Date(now));
  return { observed, lines, tick: () => (now += 1_000) };
}

const WARN = 40;
const INFO = 30;

describe(ObservedDependencies.name, () => {
  describe('track', () => {
    it('gives every adapter of one dependency the same status', () => {
      const { observed } = registry();
      const first = observed.track('payment', 'grpc');
      first.failed(new Error('connect ECONNREFUSED'));
      expect(observed.track('payment', 'grpc').state).toBe('down');
    });
  });

  describe('report', () => {
    it('lists each dependency by name with what was observed and its live fields', () => {
      const { observed, tick } = registry();
      observed.track('redis', 'redis', { live: () => ({ status: 'ready' }) }).succeeded();
      tick();
      observed.track('payment', 'grpc').failed('No connection established', {
        method: 'charge',
        outcome: 'UNAVAILABLE',
      });
      observed.track('rabbitmq', 'amqp');

      expect(observed.report()).toEqual({
        payment: {
          kind: 'grpc',
          state: 'down',
          since: '2026-01-01T00:00:01.000Z',
          last: {
            at: '2026-01-01T00:00:01.000Z',
            ok: false,
            method: 'charge',
            outcome: 'UNAVAILABLE',
            error: 'No connection established',
          },
          lastFailure: { at: '2026-01-01T00:00:01.000Z', error: 'No connection established' },
        },
        rabbitmq: { kind: 'amqp', state: 'unknown' },
        redis: {
          kind: 'redis',
          state: 'up',
          status: 'ready',
          since: '2026-01-01T00:00:00.000Z',
          last: { at: '2026-01-01T00:00:00.000Z', ok: true },
          lastSuccessAt: '2026-01-01T00:00:00.000Z',
        },
      });
    });

    it('keeps the time the state changed, not the time of the latest observation', () => {
      const { observed, tick } = registry();
      const broker = observed.track('rabbitmq', 'amqp');
      broker.failed('ECONNREFUSED');
      tick();
      broker.failed('ECONNREFUSED');
      expect(broker.report()).toMatchObject({
        since: '2026-01-01T00:00:00.000Z',
        last: { at: '2026-01-01T00:00:01.000Z' },
      });
    });
  });

  describe('logging', () => {
    it('logs one warning when a dependency goes down and one line when it is up again', () => {
      const { observed, lines, tick } = registry();
      const payment = observed.track('payment', 'grpc');
      payment.succeeded();
      payment.failed(new Error('connect ECONNREFUSED 127.0.0.1:50054'));
      tick();
      payment.failed(new Error('connect ECONNREFUSED 127.0.0.1:50054'));
      payment.failed(new Error('circuit half-open call failed'));
      payment.succeeded();
      payment.succeeded();

      expect(lines.map(({ level, msg, dependency }) => ({ level, msg, dependency }))).toEqual([
        {
          level: WARN,
          msg: 'payment is down: connect ECONNREFUSED 127.0.0.1:50054',
          dependency: 'payment',
        },
        { level: INFO, msg: 'payment is up again', dependency: 'payment' },
      ]);
    });

    it('logs nothing while the process shuts its own connections down', () => {
      const { observed, lines } = registry();
      const redis = observed.track('redis', 'redis');
      redis.succeeded();
      observed.markShuttingDown();
      redis.failed('connection closed');
      expect(lines).toEqual([]);
      expect(redis.state).toBe('down');
    });
  });
});
