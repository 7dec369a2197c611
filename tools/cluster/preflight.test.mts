import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forwards } from './endpoints.mts';
import { failed, fakeRun } from './fake-run.mts';
import {
  attestationTrap,
  dockerInfo,
  helmSkaffoldTrap,
  memoryProblem,
  portHolder,
  portProblems,
  preflight,
  skaffoldMin,
} from './preflight.mts';

const GiB = 1024 ** 3;

/** docker info --format '{{json .}}' of a Docker Desktop with "Use containerd" on. */
const containerdInfo = {
  MemTotal: 8 * GiB,
  Driver: 'overlayfs',
  DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
};
/** … and of a Docker Engine with the classic store. */
const classicInfo = {
  MemTotal: 8 * GiB,
  Driver: 'overlay2',
  DriverStatus: [
    ['Backing Filesystem', 'extfs'],
    ['Supports d_type', 'true'],
  ],
};

const toolAnswers = (helm: string, skaffold: string, docker: object = classicInfo) => ({
  'docker version --format {{.Server.Version}}': '27.3.1\n',
  'docker info --format {{json .}}': docker,
  'kind version': 'kind v0.33.0 go1.26.0 linux/amd64\n',
  'kubectl version --client -o json': '{"clientVersion":{"gitVersion":"v1.37.0"}}',
  'helm version --short': `v${helm}+g0d36f5b\n`,
  'skaffold version': `v${skaffold}\n`,
});

const deps = (answers: Record<string, object | string>, env: NodeJS.ProcessEnv = {}) => ({
  run: fakeRun(answers),
  isFree: () => Promise.resolve(true),
  env,
  hostMemory: 16 * GiB,
  skaffoldYaml: 'apiVersion: skaffold/v4beta13\nkind: Config\n',
});

describe(helmSkaffoldTrap.name, () => {
  it('lets Helm 3 through with any skaffold', () => {
    assert.deepEqual(helmSkaffoldTrap('3.17.2', '2.16.0', fakeRun({}), {}).problems, []);
  });

  it('lets Helm 4 through with a skaffold that drives it (2.17 for 4.0, 2.19 from 4.1.4)', () => {
    assert.deepEqual(helmSkaffoldTrap('4.0.1', '2.17.0', fakeRun({}), {}), {
      problems: [],
      notes: [],
      env: {},
    });
    assert.deepEqual(helmSkaffoldTrap('4.1.4', '2.19.0', fakeRun({}), {}).problems, []);
  });

  it('refuses Helm 4 with an older skaffold, naming the exact fix, when there is no Helm 3', () => {
    const found = helmSkaffoldTrap('4.0.1', '2.16.1', fakeRun({}), {});
    assert.equal(found.problems.length, 1);
    assert.match(found.problems[0] ?? '', /skaffold 2\.16\.1 cannot deploy with Helm 4\.0\.1/);
    assert.match(found.problems[0] ?? '', /#9871/);
    assert.match(found.problems[0] ?? '', /upgrade skaffold to >= 2\.17\.0/);
    assert.match(found.problems[0] ?? '', /JUNCTION_HELM=\/path\/to\/helm3/);
    assert.equal(found.helm3, undefined);
  });

  it('asks for skaffold 2.19 with Helm 4.1.4 and later (plugin versions must be semver)', () => {
    const found = helmSkaffoldTrap('4.1.4', '2.18.0', fakeRun({}), {});
    assert.match(found.problems[0] ?? '', /upgrade skaffold to >= 2\.19\.0/);
  });

  it('points skaffold at a Helm 3 instead when one is installed (JUNCTION_HELM, helm@3)', () => {
    const viaEnv = helmSkaffoldTrap(
      '4.0.1',
      '2.16.1',
      fakeRun({ '/opt/helm3 version --short': 'v3.17.2+gcc0bbbd\n' }),
      { JUNCTION_HELM: '/opt/helm3' },
    );
    assert.deepEqual(viaEnv.problems, []);
    assert.equal(viaEnv.helm3, '/opt/helm3');
    assert.match(viaEnv.notes[0] ?? '', /uses the Helm 3 at \/opt\/helm3/);
    const brew = helmSkaffoldTrap(
      '4.0.1',
      '2.16.1',
      fakeRun({
        'helm3 version --short': failed('spawnSync helm3 ENOENT'),
        '/opt/homebrew/opt/helm@3/bin/helm version --short': 'v3.19.0+g3d8990f\n',
      }),
      {},
    );
    assert.equal(brew.helm3, '/opt/homebrew/opt/helm@3/bin/helm');
  });

  it('does not take a Helm 4 or a too old Helm 3 for a Helm 3', () => {
    const found = helmSkaffoldTrap(
      '4.0.1',
      '2.16.1',
      fakeRun({
        '/opt/other version --short': 'v4.0.1+g0d36f5b\n',
        'helm3 version --short': 'v3.9.0+g7ceeda6\n',
      }),
      { JUNCTION_HELM: '/opt/other' },
    );
    assert.equal(found.helm3, undefined);
    assert.equal(found.problems.length, 1);
  });
});

describe(attestationTrap.name, () => {
  it('detects the containerd image store from docker info', () => {
    const run = fakeRun({ 'docker info --format {{json .}}': containerdInfo });
    assert.deepEqual(dockerInfo(run), { memTotal: 8 * GiB, containerdStore: true });
    const classic = fakeRun({ 'docker info --format {{json .}}': classicInfo });
    assert.deepEqual(dockerInfo(classic), { memTotal: 8 * GiB, containerdStore: false });
  });

  it("turns BuildKit's default attestations off for skaffold's builds on the containerd store", () => {
    const found = attestationTrap({ containerdStore: true }, {});
    assert.deepEqual(found.env, { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' });
    assert.match(found.notes[0] ?? '', /kind issue #3795/);
    assert.deepEqual(found.problems, []);
  });

  it('changes nothing on the classic store, and keeps a value the user set', () => {
    assert.deepEqual(attestationTrap({ containerdStore: false }, {}).env, {});
    const own = attestationTrap({ containerdStore: true }, { BUILDX_NO_DEFAULT_ATTESTATIONS: '0' });
    assert.deepEqual(own.env, {});
    assert.match(own.notes[0] ?? '', /already set/);
  });
});

describe(memoryProblem.name, () => {
  it('needs 6 GiB with the mesh and 4 GiB without', () => {
    assert.equal(memoryProblem(6 * GiB, false), undefined);
    assert.match(
      memoryProblem(5 * GiB, false) ?? '',
      /5\.0 GiB .* needs 6 GiB \(4 GiB with --no-mesh\)/,
    );
    assert.equal(memoryProblem(4 * GiB, true), undefined);
    assert.match(memoryProblem(3 * GiB, true) ?? '', /needs 4 GiB:/);
  });
});

describe(portProblems.name, () => {
  const taken =
    (...ports: number[]) =>
    (port: number) =>
      Promise.resolve(!ports.includes(port));

  it('checks the gateway, Jaeger and RabbitMQ ports, and names who holds one', async () => {
    const run = fakeRun({
      'lsof -nP -iTCP:8080 -sTCP:LISTEN -Fpc': 'p4321\nckubectl\n',
      'docker ps --filter publish=8080 --format {{.Names}}': '',
    });
    const problems = await portProblems(forwards({ noMesh: false }), taken(8080), run);
    assert.deepEqual(problems, [
      'port 8080 (the app (gateway)) is in use by kubectl (pid 4321; stop it with kill 4321): free it, or stop an earlier npm run cluster:up',
    ]);
    assert.deepEqual(
      forwards({ noMesh: false }).map((f) => f.localPort),
      [8080, 16686, 15672],
    );
  });

  it("falls back to ss, and says when it is an old cluster's port mapping", () => {
    const ss = fakeRun({
      'ss -Hltnp sport = :15672':
        'LISTEN 0 4096 127.0.0.1:15672 0.0.0.0:* users:(("beam.smp",pid=812,fd=20))\n',
    });
    assert.equal(portHolder(15672, ss), 'beam.smp (pid 812; stop it with kill 812)');
    const kind = fakeRun({
      'docker ps --filter publish=8080 --format {{.Names}}': 'junction-control-plane\n',
    });
    assert.match(
      portHolder(8080, kind) ?? '',
      /^Docker container junction-control-plane — .*cluster:down/,
    );
    assert.equal(portHolder(8080, fakeRun({})), undefined);
  });

  it('checks the services’ own ports without the mesh', () => {
    const ports = forwards({ noMesh: true }).map((f) => f.localPort);
    assert.ok(!ports.includes(8080));
    assert.ok(ports.includes(3005) && ports.includes(16686) && ports.includes(15672));
  });
});

describe(preflight.name, () => {
  it('passes a good machine with nothing to fix', async () => {
    const found = await preflight(
      { noMesh: false, ports: forwards({ noMesh: false }) },
      deps(toolAnswers('3.17.2', '2.19.0')),
    );
    assert.deepEqual(found, { problems: [], notes: [], env: {} });
  });

  it('merges the fixes of both traps into what skaffold gets', async () => {
    const found = await preflight(
      { noMesh: false, ports: [] },
      deps(
        { ...toolAnswers('4.0.1', '2.16.1', containerdInfo), '/h3 version --short': 'v3.17.2\n' },
        { JUNCTION_HELM: '/h3' },
      ),
    );
    assert.deepEqual(found.problems, []);
    assert.equal(found.helm3, '/h3');
    assert.deepEqual(found.env, { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' });
    assert.equal(found.notes.length, 2);
  });

  it('names every problem at once: a missing tool, too little memory', async () => {
    const answers: Record<string, object | string> = {
      ...toolAnswers('3.17.2', '2.19.0', { ...classicInfo, MemTotal: 2 * GiB }),
    };
    delete answers['kind version'];
    const found = await preflight({ noMesh: false, ports: [] }, deps(answers));
    assert.equal(found.problems.length, 2);
    assert.match(found.problems[0] ?? '', /^kind not found/);
    assert.match(found.problems[1] ?? '', /2\.0 GiB/);
  });

  it('asks for the skaffold release that reads the schema skaffold.yaml uses', async () => {
    assert.equal(skaffoldMin('apiVersion: skaffold/v4beta14\n'), '2.19.0');
    assert.equal(skaffoldMin('apiVersion: skaffold/v4beta13\n'), '2.16.0');
    const found = await preflight(
      { noMesh: false, ports: [] },
      { ...deps(toolAnswers('3.17.2', '2.18.0')), skaffoldYaml: 'apiVersion: skaffold/v4beta14\n' },
    );
    assert.match(found.problems[0] ?? '', /^skaffold 2\.18\.0 is too old \(need >= 2\.19\.0\)/);
  });
});
