import {
  type sendUnaryData,
  Server,
  type ServerUnaryCall,
  ServerCredentials,
  status,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import pino from 'pino';
import { DomainError } from '../errors/domain-error';
import { ObservedDependencies } from '../health/observed-dependencies';
import { withCallBudget } from './call-budget';
import { GrpcClient } from './grpc-client';

type Behaviour = (
  call: ServerUnaryCall<unknown, unknown>,
  callback: sendUnaryData<unknown>,
) => void;

/** A real gRPC server on a loopback port, answering Check the way each test wants. */
async function peer(
  behaviour: Behaviour,
): Promise<{ target: string; calls: () => number; stop: () => void }> {
  const server = new Server();
  let calls = 0;
  server.addService(healthService, {
    Check: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      calls += 1;
      behaviour(call, callback);
    },
    Watch: () => undefined,
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(error);
      else resolve(bound);
    });
  });
  return {
    target: `127.0.0.1:${String(port)}`,
    calls: () => calls,
    stop: () => {
      server.forceShutdown();
    },
  };
}

const serving: Behaviour = (_call, callback) => {
  callback(null, { status: 'SERVING' });
};
const unavailable: Behaviour = (_call, callback) => {
  callback({ code: status.UNAVAILABLE, details: 'down' });
};
/** Answers SERVING, but only after `ms`. */
const slow =
  (ms: number): Behaviour =>
  (call, callback) => {
    setTimeout(() => {
      serving(call, callback);
    }, ms);
  };

function client(
  target: string,
  options: { idempotent?: boolean; deadlineMs?: number; observed?: ObservedDependencies } = {},
) {
  return new GrpcClient('health', healthService, target, {
    deadlineMs: options.deadlineMs ?? 2_000,
    idempotentMethods: options.idempotent ? ['Check'] : [],
    breaker: { failures: 3, openMs: 60_000 },
    ...(options.observed ? { observed: options.observed } : {}),
  });
}

const observedDependencies = () => new ObservedDependencies(pino({ level: 'silent' }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls Check (the health definition is typed loosely, so its methods may be missing). */
function check(health: ReturnType<typeof client>): Promise<unknown> {
  const method = health.call.Check;
  if (!method) throw new Error('the health service has no Check method');
  return method({ service: '' });
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError))
    throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe(GrpcClient.name, () => {
  describe('call', () => {
    it('retries an idempotent method once on unavailable, and succeeds', async () => {
      let first = true;
      const server = await peer((call, callback) => {
        if (first) {
          first = false;
          unavailable(call, callback);
        } else serving(call, callback);
      });
      const health = client(server.target, { idempotent: true });
      try {
        await expect(check(health)).resolves.toMatchObject({
          status: 'SERVING',
        });
        expect(server.calls()).toBe(2);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('calls the peer twice at most for an idempotent method, however often it fails', async () => {
      const server = await peer(unavailable);
      const health = client(server.target, { idempotent: true });
      try {
        expect((await rejection(check(health))).code).toBe('unavailable');
        expect(server.calls()).toBe(2);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('retries DEADLINE_EXCEEDED once for an idempotent method', async () => {
      const server = await peer(slow(400));
      const health = client(server.target, { idempotent: true, deadlineMs: 100 });
      try {
        const error = await rejection(check(health));
        expect(error.code).toBe('unavailable');
        expect(error.message).toMatch(/deadline/i);
        expect(server.calls()).toBe(2);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('never retries DEADLINE_EXCEEDED for a method that is not idempotent', async () => {
      const server = await peer(slow(400));
      const health = client(server.target, { deadlineMs: 100 });
      try {
        expect((await rejection(check(health))).code).toBe('unavailable');
        expect(server.calls()).toBe(1);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('does not retry when what is left of the budget cannot hold a whole attempt', async () => {
      const server = await peer(slow(600));
      const health = client(server.target, { idempotent: true, deadlineMs: 200 });
      try {
        // The first attempt gets its own 200 ms; the ~150 ms left would be a doomed retry.
        const error = await rejection(withCallBudget(350, () => check(health)));
        expect(error.code).toBe('unavailable');
        expect(server.calls()).toBe(1);
      } finally {
        health.close();
        server.stop();
      }
    });

    it("neither retries nor counts against the peer a call that runs out of the caller's budget", async () => {
      let slowly = true;
      const server = await peer((call, callback) => {
        if (slowly) slow(300)(call, callback);
        else serving(call, callback);
      });
      const observed = observedDependencies();
      const health = client(server.target, { idempotent: true, observed });
      try {
        // More budget-exhausted calls than the breaker's 3 failures.
        for (let i = 0; i < 4; i++) {
          const error = await rejection(withCallBudget(100, () => check(health)));
          expect(error.message).toBe(
            "deadline exceeded: health.Check did not answer within the caller's budget",
          );
        }
        expect(server.calls()).toBe(4);
        expect(observed.report().health?.circuit).toBe('closed');
        slowly = false;
        await expect(check(health)).resolves.toMatchObject({ status: 'SERVING' });
      } finally {
        health.close();
        server.stop();
      }
    });

    it('never retries a method that is not idempotent', async () => {
      const server = await peer(unavailable);
      const health = client(server.target);
      try {
        expect((await rejection(check(health))).code).toBe('unavailable');
        expect(server.calls()).toBe(1);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('opens the circuit after consecutive failures and then fails fast without calling', async () => {
      const server = await peer(unavailable);
      const health = client(server.target);
      try {
        for (let i = 0; i < 3; i++) await rejection(check(health));
        const open = await rejection(check(health));
        expect(open).toMatchObject({
          code: 'unavailable',
          message: 'health unavailable (circuit open)',
          retryAfterSeconds: 60,
        });
        expect(server.calls()).toBe(3);
      } finally {
        health.close();
        server.stop();
      }
    });

    it("maps the peer's status to a domain error code with its message", async () => {
      const server = await peer((_call, callback) => {
        callback({ code: status.NOT_FOUND, details: 'no such thing' });
      });
      const health = client(server.target);
      try {
        expect(await rejection(check(health))).toMatchObject({
          code: 'not_found',
          message: 'no such thing',
        });
      } finally {
        health.close();
        server.stop();
      }
    });

    it("gives a call no more than what is left of the caller's budget", async () => {
      const server = await peer((call, callback) => {
        setTimeout(() => {
          callback(null, { status: 'SERVING' });
        }, 500);
      });
      const health = client(server.target, { deadlineMs: 5_000 });
      try {
        const error = await rejection(withCallBudget(150, () => check(health)));
        expect(error.code).toBe('unavailable');
        expect(error.message).toMatch(/deadline/i);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('does not call at all when the budget is already spent', async () => {
      const server = await peer(serving);
      const health = client(server.target);
      try {
        const error = await rejection(
          withCallBudget(0, async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return check(health);
          }),
        );
        expect(error.message).toBe('no time left to call health.Check');
        expect(server.calls()).toBe(0);
      } finally {
        health.close();
        server.stop();
      }
    });

    it('does not count a spent budget against the peer: the circuit stays closed', async () => {
      const server = await peer(serving);
      const health = client(server.target, { idempotent: true });
      try {
        for (let i = 0; i < 4; i++) {
          const error = await rejection(
            withCallBudget(0, async () => {
              await sleep(5);
              return check(health);
            }),
          );
          expect(error.message).toBe('no time left to call health.Check');
        }
        await expect(check(health)).resolves.toMatchObject({ status: 'SERVING' });
        expect(server.calls()).toBe(1);
      } finally {
        health.close();
        server.stop();
      }
    });
  });

  describe('observed', () => {
    it('reports the last call as OK with its method, and the channel as ready', async () => {
      const server = await peer(serving);
      const observed = observedDependencies();
      const health = client(server.target, { observed });
      try {
        await check(health);
        expect(observed.report().health).toMatchObject({
          kind: 'grpc',
          state: 'up',
          target: server.target,
          connectivity: 'READY',
          circuit: 'closed',
          last: { ok: true, method: 'Check', outcome: 'OK' },
        });
      } finally {
        health.close();
        server.stop();
      }
    });

    it('reports a peer that cannot be reached as down, with the gRPC code', async () => {
      const server = await peer(serving);
      server.stop();
      const observed = observedDependencies();
      const health = client(server.target, { observed });
      try {
        await rejection(check(health));
        expect(observed.report().health).toMatchObject({
          state: 'down',
          last: { ok: false, method: 'Check', outcome: 'UNAVAILABLE' },
          lastFailure: { error: expect.any(String) as unknown },
        });
        expect(observed.report().health?.connectivity).not.toBe('READY');
      } finally {
        health.close();
      }
    });

    it("counts the peer's own answer (NOT_FOUND) as the peer being up", async () => {
      const server = await peer((_call, callback) => {
        callback({ code: status.NOT_FOUND, details: 'no such thing' });
      });
      const observed = observedDependencies();
      const health = client(server.target, { observed });
      try {
        await rejection(check(health));
        expect(observed.report().health).toMatchObject({
          state: 'up',
          last: { ok: true, outcome: 'NOT_FOUND' },
        });
      } finally {
        health.close();
        server.stop();
      }
    });

    it('does not count a call the open circuit refused, and shows the circuit open', async () => {
      let calls = 0;
      const server = await peer((call, callback) => {
        calls += 1;
        unavailable(call, callback);
      });
      const observed = observedDependencies();
      const health = client(server.target, { observed });
      try {
        for (let i = 0; i < 3; i++) await rejection(check(health));
        const before = observed.report().health?.last;
        await sleep(5);
        await rejection(check(health));
        expect(calls).toBe(3);
        expect(observed.report().health).toMatchObject({
          state: 'down',
          circuit: 'open',
          last: before,
        });
      } finally {
        health.close();
        server.stop();
      }
    });

    it('reads the connectivity without connecting: an unused client stays idle', async () => {
      const server = await peer(serving);
      const observed = observedDependencies();
      const health = client(server.target, { observed });
      try {
        expect(observed.report().health).toEqual({
          kind: 'grpc',
          state: 'unknown',
          target: server.target,
          connectivity: 'IDLE',
          circuit: 'closed',
        });
        await sleep(200);
        expect(observed.report().health?.connectivity).toBe('IDLE');
        expect(server.calls()).toBe(0);
      } finally {
        health.close();
        server.stop();
      }
    });
  });
});
