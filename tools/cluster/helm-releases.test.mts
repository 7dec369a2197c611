import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failed, fakeRun } from './fake-run.mts';
import {
  pendingReleases,
  RELEASE_NAMESPACES,
  repairCommand,
  repairPendingReleases,
} from './helm-releases.mts';

const CONTEXT = 'kind-junction';
const list = (ns: string) => `helm list -a -o json -n ${ns} --kube-context ${CONTEXT}`;
const where = `--kube-context ${CONTEXT}`;

/** `helm list -a -o json` rows, as Helm 3 and 4 print them (revision is a string). */
const row = (name: string, namespace: string, revision: number, status: string) => ({
  name,
  namespace,
  revision: String(revision),
  updated: '2026-12-01 10:00:00.000000 +0000 UTC',
  status,
  chart: `${name}-0.1.0`,
  app_version: '0.1.0',
});

const interrupted = () =>
  fakeRun({
    [list('junction')]: [
      row('junction-infra', 'junction', 2, 'deployed'),
      row('junction', 'junction', 4, 'pending-upgrade'),
    ],
    [list('istio-system')]: [
      row('istio-base', 'istio-system', 1, 'deployed'),
      row('istiod', 'istio-system', 1, 'pending-install'),
    ],
    [list('istio-ingress')]: [],
    [`helm rollback junction 3 -n junction ${where}`]: 'Rollback was a success! Happy Helming!\n',
    [`helm uninstall istiod -n istio-system ${where}`]: 'release "istiod" uninstalled\n',
  });

describe(pendingReleases.name, () => {
  it('finds the pending releases of the junction and istio namespaces', () => {
    assert.deepEqual(RELEASE_NAMESPACES, ['junction', 'istio-system', 'istio-ingress']);
    assert.deepEqual(pendingReleases(interrupted(), CONTEXT), [
      { name: 'junction', namespace: 'junction', revision: 4, status: 'pending-upgrade' },
      { name: 'istiod', namespace: 'istio-system', revision: 1, status: 'pending-install' },
    ]);
  });

  it('finds none in a fresh cluster or when helm cannot answer', () => {
    assert.deepEqual(pendingReleases(fakeRun({}), CONTEXT), []);
    const fresh = fakeRun(Object.fromEntries(RELEASE_NAMESPACES.map((ns) => [list(ns), []])));
    assert.deepEqual(pendingReleases(fresh, CONTEXT), []);
  });
});

describe(repairCommand.name, () => {
  it('uninstalls a release that never finished installing, rolls back an upgrade or rollback', () => {
    const base = { name: 'junction', namespace: 'junction' };
    assert.deepEqual(repairCommand({ ...base, revision: 1, status: 'pending-install' }, CONTEXT), [
      'uninstall',
      'junction',
      '-n',
      'junction',
      '--kube-context',
      CONTEXT,
    ]);
    assert.deepEqual(
      repairCommand({ ...base, revision: 7, status: 'pending-upgrade' }, CONTEXT).slice(0, 3),
      ['rollback', 'junction', '6'],
    );
    assert.deepEqual(
      repairCommand({ ...base, revision: 3, status: 'pending-rollback' }, CONTEXT).slice(0, 3),
      ['rollback', 'junction', '2'],
    );
  });
});

describe(repairPendingReleases.name, () => {
  it('runs the repair of each pending release and says what it did', () => {
    const run = interrupted();
    const lines = repairPendingReleases(run, CONTEXT);
    assert.deepEqual(lines, [
      `Helm release junction/junction was pending-upgrade (revision 4): helm rollback junction 3 -n junction ${where}`,
      `Helm release istio-system/istiod was pending-install (revision 1): helm uninstall istiod -n istio-system ${where}`,
    ]);
    assert.ok(run.calls.includes(`helm rollback junction 3 -n junction ${where}`));
    assert.ok(!run.calls.some((c) => c.includes('junction-infra') && !c.startsWith('helm list')));
  });

  it('reports a repair that helm refused', () => {
    const run = fakeRun({
      [list('junction')]: [row('junction', 'junction', 1, 'pending-install')],
      [`helm uninstall junction -n junction ${where}`]: failed('Error: uninstall: timed out\n'),
    });
    assert.deepEqual(repairPendingReleases(run, CONTEXT, ['junction']), [
      `Helm release junction/junction was pending-install (revision 1); helm uninstall junction -n junction ${where} failed: Error: uninstall: timed out`,
    ]);
  });
});
