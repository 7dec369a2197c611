// Readiness is about me, not my peers: with payment stopped, orders stays ready and keeps
// accepting queued orders (they complete once payment is back); with user stopped, auth stays
// ready while login answers 503. What each service saw of its peers is on /statusz, not /readyz.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PLENTIFUL_SKU as SKU, sleep, until } from '@junction/testkit';
import { waitUntilReady } from '../../tools/local/topology.mts';
import { Api, type Session } from './support/api.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import {
  type E2eTopology,
  type RunningService,
  startE2eTopology,
  startQuietly,
} from './support/topology.mts';

interface Observed {
  kind: string;
  state: 'up' | 'down' | 'unknown';
  since?: string;
  connectivity?: string;
  last?: { ok: boolean; method?: string; outcome?: string; at: string };
  lastFailure?: { at: string; error: string };
}

interface StatusReport {
  service: string;
  readiness: { ready: boolean; checks: Record<string, { status: string }> };
  dependencies: Record<string, Observed | undefined>;
}

/** The messages of a service's JSON log lines that match `pattern`. */
function logged(topology: E2eTopology, service: string, pattern: RegExp): string[] {
  return (topology.logs.get(service) ?? [])
    .map((line) => {
      try {
        return (JSON.parse(line) as { msg?: string }).msg ?? '';
      } catch {
        return '';
      }
    })
    .filter((message) => pattern.test(message));
}

describe('readiness never depends on peers', () => {
  let topology: E2eTopology;
  let api: Api;
  const restarted: RunningService[] = [];

  const statusOf = async (service: string): Promise<StatusReport> => {
    const response = await fetch(topology.url(service, '/statusz'));
    assert.equal(response.status, 200, `${service} /statusz`);
    return (await response.json()) as StatusReport;
  };

  /** /readyz of `service`, asked `times` times over about a second: every answer must be 200. */
  const assertStaysReady = async (service: string, times = 5): Promise<void> => {
    for (let i = 0; i < times; i++) {
      const response = await fetch(topology.url(service, '/readyz'));
      assert.equal(response.status, 200, `${service} /readyz: ${await response.text()}`);
      await sleep(200);
    }
  };

  /** Stops a service of the topology (SIGTERM) and waits until it has exited. */
  const stop = async (name: string): Promise<void> => {
    const service = topology.services.find((s) => s.name === name);
    assert.ok(service, `${name} is part of the topology`);
    service.process.kill('SIGTERM');
    assert.equal(await service.exited, 0, `${name} stopped cleanly`);
  };

  const startAgain = async (name: string): Promise<void> => {
    const service = startQuietly(name);
    restarted.push(service);
    await waitUntilReady(service);
  };

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology();
    api = new Api(topology);
  });

  after(async () => {
    for (const service of restarted) {
      if (service.process.exitCode === null) service.process.kill('SIGTERM');
    }
    await Promise.all(restarted.map((service) => service.exited));
    await topology.stop();
    await removeInfrastructure();
  });

  it('keeps orders ready and accepting queued orders while payment is stopped; they confirm once it is back', async () => {
    const session: Session = await api.newSession();
    const before = await statusOf('orders');
    assert.deepEqual(Object.keys(before.readiness.checks), ['redis']);

    await stop('payment');
    await assertStaysReady('orders');

    const blocking = await api.placeOrder(session, { sku: SKU, mode: 'blocking' });
    assert.equal(blocking.status, 503, JSON.stringify(blocking.body));
    const observed = (await statusOf('orders')).dependencies.payment;
    assert.ok(observed, 'orders reports payment on /statusz');
    assert.equal(observed.kind, 'grpc');
    assert.equal(observed.state, 'down', JSON.stringify(observed));
    assert.equal(observed.last?.ok, false);
    // charge failed; the compensation's refund may have failed after it.
    assert.ok(['charge', 'refund'].includes(observed.last.method ?? ''), observed.last.method);
    assert.equal(observed.last.outcome, 'UNAVAILABLE');
    assert.notEqual(observed.connectivity, 'READY');
    assert.equal((await statusOf('orders')).dependencies.inventory?.state, 'up');

    const queued = [];
    for (let i = 0; i < 5; i++) {
      const reply = await api.placeOrder(session, { sku: SKU, mode: 'queued' });
      assert.equal(reply.status, 202, JSON.stringify(reply.body));
      queued.push(reply.body.id);
    }
    await assertStaysReady('orders');
    for (const id of queued) assert.equal((await api.order(session, id)).status, 'pending');

    await startAgain('payment');
    const settled = await Promise.all(queued.map((id) => api.settled(session, id, 30_000)));
    assert.deepEqual(
      settled.map((order) => order.status),
      queued.map(() => 'confirmed'),
    );
    // A blocking checkout works again once payment answers (the circuit half-opens), and
    // /statusz shows what that call observed.
    assert.ok(
      await until(
        async () => (await api.placeOrder(session, { sku: SKU, mode: 'blocking' })).status === 201,
        20_000,
      ),
      'blocking checkouts recover',
    );
    const recovered = (await statusOf('orders')).dependencies.payment;
    assert.equal(recovered?.state, 'up', JSON.stringify(recovered));
    assert.equal(recovered.last?.ok, true);
    // One line when payment went down, one when it came back: not one per failed call.
    assert.equal(logged(topology, 'orders', /^payment is down: /).length, 1);
    assert.equal(logged(topology, 'orders', /^payment is up again$/).length, 1);
  });

  it('keeps auth ready while user is stopped: login answers 503, and works again once user is back', async () => {
    const email = `readiness-${String(Date.now())}@example.test`;
    const password = 'correct horse battery';
    const registered = await api.request('auth', 'POST', '/auth/register', {
      body: { email, password, displayName: 'Readiness' },
    });
    assert.ok([200, 201].includes(registered.status), JSON.stringify(registered.body));
    const login = () => api.request('auth', 'POST', '/auth/login', { body: { email, password } });
    assert.equal((await login()).status, 200);

    await stop('user');
    await assertStaysReady('auth');
    const refused = await login();
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    await assertStaysReady('auth', 2);
    const observed = (await statusOf('auth')).dependencies.user;
    assert.equal(observed?.state, 'down', JSON.stringify(observed));
    assert.equal(observed.last?.outcome, 'UNAVAILABLE');

    await startAgain('user');
    // Poll with unknown accounts (401 once user answers again, 503 while auth cannot reach it),
    // once a second: polling the real account would run into its login limit (10 a minute).
    const unknownLogin = () =>
      api.request('auth', 'POST', '/auth/login', {
        body: { email: `nobody-${randomUUID()}@example.test`, password },
      });
    assert.ok(
      await until(async () => (await unknownLogin()).status === 401, 30_000, 1_000),
      'auth reaches user again once it is back',
    );
    const again = await login();
    assert.equal(
      again.status,
      200,
      `login works again once user is back: ${JSON.stringify(again.body)}`,
    );
    assert.equal((await statusOf('auth')).dependencies.user?.state, 'up');
  });
});
