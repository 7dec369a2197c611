import assert from 'node:assert/strict';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Outcome } from './attached.mts';
import { deploy, type DeployDeps } from './deploy.mts';
import { fakeRun } from './fake-run.mts';
import { CONTEXT } from './up-args.mts';

const GiB = 1024 ** 3;
const dir = mkdtempSync(path.join(tmpdir(), 'junction-deploy-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const machine = (helm = '3.17.2', docker: object = { MemTotal: 8 * GiB, DriverStatus: [] }) => ({
  'docker version --format {{.Server.Version}}': '27.3.1\n',
  'docker info --format {{json .}}': docker,
  'kind version': 'kind v0.33.0 go1.26.0 linux/amd64\n',
  'kubectl version --client -o json': '{"clientVersion":{"gitVersion":"v1.37.0"}}',
  'helm version --short': `v${helm}\n`,
  'skaffold version': 'v2.16.1\n',
  'kind get clusters': 'junction\n',
});

interface Recorded {
  deps: DeployDeps;
  sh: string[];
  skaffold: { args: string[]; env: NodeJS.ProcessEnv }[];
  logs: string[];
  errors: string[];
}

function fakes(answers: Record<string, object | string>, outcomes: Outcome[] = []): Recorded {
  const recorded: Omit<Recorded, 'deps'> = { sh: [], skaffold: [], logs: [], errors: [] };
  const deps: DeployDeps = {
    run: fakeRun(answers),
    sh: (command, args) => {
      recorded.sh.push([command, ...args].join(' '));
      return 0;
    },
    skaffold: (args, env) => {
      recorded.skaffold.push({ args, env });
      return Promise.resolve(outcomes.shift() ?? { code: 0, interrupted: false });
    },
    isFree: () => Promise.resolve(true),
    env: { PATH: '/usr/bin' },
    hostMemory: 16 * GiB,
    binDir: path.join(dir, 'bin'),
    log: (line) => recorded.logs.push(line),
    error: (line) => recorded.errors.push(line),
    skaffoldYaml: 'apiVersion: skaffold/v4beta13\n',
  };
  return { ...recorded, deps };
}

const helmList = (ns: string) => `helm list -a -o json -n ${ns} --kube-context ${CONTEXT}`;

describe(deploy.name, () => {
  it('runs skaffold dev with the dev profile for --dev, and stops there', async () => {
    const f = fakes(machine());
    const result = await deploy(['--dev'], f.deps);
    assert.deepEqual(result, { code: 0 });
    assert.equal(f.skaffold.length, 1);
    const args = f.skaffold[0]?.args ?? [];
    assert.equal(args[0], 'dev');
    assert.equal(args[args.indexOf('-p') + 1], 'dev');
    assert.ok(!f.sh.some((c) => c.includes('rollout')));
  });

  it('deploys with skaffold run, waits for every rollout and hands over to the port-forwards', async () => {
    const f = fakes(machine());
    const result = await deploy([], f.deps);
    assert.deepEqual(result, { code: 0, ready: { dev: false, noMesh: false, meshFaults: false } });
    assert.equal(f.skaffold[0]?.args[0], 'run');
    assert.equal(f.sh.filter((c) => c.includes(' rollout status deployment/')).length, 5);
    assert.ok(f.sh.includes(`kubectl config use-context ${CONTEXT}`));
    assert.ok(!f.sh.some((c) => c.startsWith('kind create')), 'the cluster existed');
  });

  it('creates the cluster when kind has none', async () => {
    const f = fakes({ ...machine(), 'kind get clusters': 'No kind clusters found.\n' });
    await deploy([], f.deps);
    assert.equal(f.sh[0], 'kind create cluster --config k8s/kind-cluster.yaml --wait 120s');
  });

  it('gives skaffold the fixes of the preflight: no attestations, a Helm 3 first on PATH', async () => {
    const helm3 = path.join(dir, 'helm3');
    const f = fakes({
      ...machine('4.0.1', {
        MemTotal: 8 * GiB,
        DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
      }),
      [`${helm3} version --short`]: 'v3.17.2\n',
    });
    const result = await deploy([], { ...f.deps, env: { PATH: '/usr/bin', JUNCTION_HELM: helm3 } });
    assert.equal(result.code, 0);
    const env = f.skaffold[0]?.env ?? {};
    assert.equal(env.BUILDX_NO_DEFAULT_ATTESTATIONS, '1');
    assert.equal(env.PATH, `${path.join(dir, 'bin')}${path.delimiter}/usr/bin`);
    assert.equal(readlinkSync(path.join(dir, 'bin', 'helm')), helm3);
  });

  it('stops before creating anything when the preflight fails', async () => {
    const f = fakes({ ...machine('4.0.1') });
    const result = await deploy([], f.deps);
    assert.deepEqual(result, { code: 1 });
    assert.match(
      f.errors[0] ?? '',
      /Preflight failed:\n {2}- skaffold 2\.16\.1 cannot deploy with Helm 4\.0\.1/,
    );
    assert.deepEqual(f.sh, []);
    assert.deepEqual(f.skaffold, []);
  });

  it('repairs a release left pending before skaffold runs', async () => {
    const f = fakes({
      ...machine(),
      [helmList('junction')]: [
        { name: 'junction', namespace: 'junction', revision: '3', status: 'pending-upgrade' },
      ],
      [`helm rollback junction 2 -n junction --kube-context ${CONTEXT}`]:
        'Rollback was a success!\n',
    });
    await deploy([], f.deps);
    assert.match(
      f.logs.join('\n'),
      /junction\/junction was pending-upgrade \(revision 3\): helm rollback junction 2/,
    );
  });

  it('after an interrupted skaffold, repairs again and exits 130 without waiting for rollouts', async () => {
    const f = fakes(machine(), [{ code: 130, interrupted: true }]);
    const run = f.deps.run as ReturnType<typeof fakeRun>;
    const result = await deploy([], f.deps);
    assert.deepEqual(result, { code: 130 });
    assert.equal(run.calls.filter((c) => c === helmList('junction')).length, 2);
    assert.ok(!f.sh.some((c) => c.includes('rollout')));
  });

  it('on a failed skaffold, reports the pods that are not ready instead of only the exit code', async () => {
    const pods = {
      items: [
        {
          metadata: { name: 'payment-1', namespace: 'junction' },
          status: {
            phase: 'Pending',
            containerStatuses: [
              {
                name: 'payment',
                ready: false,
                state: { waiting: { reason: 'ErrImageNeverPull' } },
              },
            ],
          },
        },
      ],
    };
    const f = fakes(
      { ...machine(), [`kubectl --context ${CONTEXT} -n junction get pods -o json`]: pods },
      [{ code: 1, interrupted: false }],
    );
    const result = await deploy([], f.deps);
    assert.deepEqual(result, { code: 1 });
    const text = f.errors.join('\n');
    assert.match(text, /skaffold run failed \(exit 1\)/);
    assert.match(text, /junction\/payment-1: Pending\n {6}payment: ErrImageNeverPull/);
  });

  it('refuses bad flags with exit 2, and prints the usage for --help', async () => {
    const bad = fakes(machine());
    assert.deepEqual(await deploy(['--no-mesh', '--mesh-faults'], bad.deps), { code: 2 });
    const help = fakes(machine());
    assert.deepEqual(await deploy(['--help'], help.deps), { code: 0 });
    assert.match(help.logs[0] ?? '', /^usage: npm run cluster:up/);
  });
});
