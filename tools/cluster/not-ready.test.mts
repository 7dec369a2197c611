import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeRun } from './fake-run.mts';
import { notReadyPods, notReadyReport } from './not-ready.mts';

const CONTEXT = 'kind-junction';
const kubectl = (ns: string, ...rest: string[]) =>
  ['kubectl', '--context', CONTEXT, '-n', ns, ...rest].join(' ');
const events = (ns: string, pod: string) =>
  kubectl(
    ns,
    'get',
    'events',
    '--field-selector',
    `involvedObject.kind=Pod,involvedObject.name=${pod}`,
    '-o',
    'json',
  );

const ready = (name: string) => ({
  metadata: { name, namespace: 'junction' },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
  },
});

const crashing = {
  metadata: { name: 'orders-5d9c7b6f4-x2k8q', namespace: 'junction' },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    initContainerStatuses: [
      { name: 'istio-proxy', ready: true, restartCount: 0, state: { running: {} } },
    ],
    containerStatuses: [
      {
        name: 'orders',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s' } },
        lastState: { terminated: { reason: 'Error', exitCode: 1 } },
      },
    ],
  },
};

const unpulled = {
  metadata: { name: 'payment-7f8d-abcde', namespace: 'junction' },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'payment',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ErrImageNeverPull', message: 'image not present' } },
      },
    ],
  },
};

const unscheduled = {
  metadata: { name: 'istiod-6b7c9-zzzzz', namespace: 'istio-system' },
  status: {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/1 nodes are available: 1 Insufficient memory.',
      },
    ],
  },
};

const completed = {
  metadata: { name: 'seed-job-1', namespace: 'junction' },
  status: { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False' }] },
};

const cluster = () =>
  fakeRun({
    [kubectl('junction', 'get', 'pods', '-o', 'json')]: {
      items: [ready('auth-1'), crashing, unpulled, completed],
    },
    [kubectl('istio-system', 'get', 'pods', '-o', 'json')]: { items: [unscheduled] },
    [events('junction', crashing.metadata.name)]: {
      items: [
        {
          type: 'Normal',
          reason: 'Pulled',
          message: 'Container image "junction-orders:abc" already present',
          lastTimestamp: '2026-12-01T10:00:01Z',
        },
        {
          type: 'Warning',
          reason: 'BackOff',
          message: 'Back-off restarting failed container orders',
          count: 12,
          lastTimestamp: '2026-12-01T10:04:00Z',
        },
      ],
    },
    [events('junction', unpulled.metadata.name)]: { items: [] },
    [events('istio-system', unscheduled.metadata.name)]: {
      items: [
        {
          type: 'Warning',
          reason: 'FailedScheduling',
          message: '0/1 nodes are available: 1 Insufficient memory.',
          eventTime: '2026-12-01T10:02:00Z',
        },
      ],
    },
    [kubectl(
      'junction',
      'logs',
      crashing.metadata.name,
      '-c',
      'orders',
      '--tail=15',
      '--previous',
    )]: 'starting orders\nREDIS_URL: must be a redis:// URL\n',
  });

describe(notReadyPods.name, () => {
  it('finds the pods that are neither Ready nor completed, in every namespace', () => {
    const pods = notReadyPods(cluster(), CONTEXT, ['junction', 'istio-system', 'istio-ingress']);
    assert.deepEqual(
      pods.map((p) => p.metadata.name),
      [crashing.metadata.name, unpulled.metadata.name, unscheduled.metadata.name],
    );
  });
});

describe(notReadyReport.name, () => {
  it('says for each pod which container is not ready, why, its events and its last log lines', () => {
    const report = notReadyReport(cluster(), CONTEXT, ['junction', 'istio-system']).join('\n');
    assert.match(report, /^Not ready: 3 pods/);
    assert.match(
      report,
      /junction\/orders-5d9c7b6f4-x2k8q: Running\n {6}orders: CrashLoopBackOff: back-off 1m20s; restarted 4×; last exit 1 Error/,
    );
    assert.match(report, /Warning BackOff \(×12\): Back-off restarting failed container orders/);
    assert.match(
      report,
      /last log lines of orders:\n {8}\| starting orders\n {8}\| REDIS_URL: must be a redis:\/\/ URL/,
    );
    assert.match(
      report,
      /payment: ErrImageNeverPull: image not present\n {8}→ the image is not in the kind node/,
    );
    assert.match(
      report,
      /istio-system\/istiod-6b7c9-zzzzz: Pending\n {6}not scheduled: Unschedulable 0\/1 nodes are available: 1 Insufficient memory\./,
    );
    // The ready proxy and pods are not in it, nor logs of a container that never ran.
    assert.doesNotMatch(report, /istio-proxy|auth-1|seed-job|last log lines of payment/);
  });

  it('shows the latest events last, at most as many as asked', () => {
    const report = notReadyReport(cluster(), CONTEXT, ['junction'], { events: 1 }).join('\n');
    assert.match(report, /BackOff/);
    assert.doesNotMatch(report, /Pulled/);
  });

  it('is empty when every pod is ready, or when kubectl cannot answer', () => {
    const allReady = fakeRun({
      [kubectl('junction', 'get', 'pods', '-o', 'json')]: { items: [ready('auth-1')] },
    });
    assert.deepEqual(notReadyReport(allReady, CONTEXT, ['junction']), []);
    assert.deepEqual(notReadyReport(fakeRun({}), CONTEXT, ['junction']), []);
  });
});
