import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { IContainer } from 'kubernetes-models/v1/Container';
import {
  hasLoadGenerator,
  helmTemplate,
  PROFILES,
  profileArgs,
  render,
  type Profile,
} from './charts.mts';
import { contextSources, readDockerfile, stage } from './dockerfile.mts';
import {
  LOAD_ENTRY,
  LOAD_GENERATOR,
  localImportClosure,
  runtimeImports,
} from './load-generator.mts';
import { ofKind, type Workload, workloads } from './objects.mts';
import { isRecord, type KubeObject, readYamlFile, repoPath } from './repo.mts';
import { config, loadSkaffold, withProfile } from './skaffold.mts';

const skaffold = loadSkaffold();
const app = config(skaffold, 'app');
const loadStage = stage(readDockerfile('Dockerfile'), 'load');

function generator(objects: KubeObject[]): Workload & { container: IContainer } {
  const found = workloads(objects).find((w) => w.id === `Deployment/${LOAD_GENERATOR}`);
  assert.ok(found, `no Deployment ${LOAD_GENERATOR} rendered`);
  const [container, ...others] = found.containers;
  assert.ok(container && others.length === 0, 'one container');
  return { ...found, container };
}

const envOf = (container: IContainer): Record<string, string> =>
  Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));

const chartValues = (): Record<string, unknown> => {
  const [values] = readYamlFile('charts/junction/values.yaml') as [
    { loadGenerator: Record<string, unknown> },
  ];
  return values.loadGenerator;
};

/** Where the skaffold istio config puts the ingress gateway, and its plain-HTTP Service port. */
function gatewayService(objects: KubeObject[]): { host: string; port: number } {
  const release = config(skaffold, 'istio').deploy?.helm?.releases?.find(
    (r) => r.remoteChart === 'gateway',
  );
  assert.ok(release?.namespace);
  const [values] = readYamlFile('k8s/istio/gateway-values.yaml') as [
    { service: { ports: { port: number; targetPort: number }[] } },
  ];
  const gateway = ofKind<{ spec: { servers: { port: { number: number } }[] } }>(objects, 'Gateway');
  const listening = gateway.flatMap((g) => g.spec.servers.map((s) => s.port.number));
  const port = values.service.ports.find((p) => listening.includes(p.targetPort));
  assert.ok(port, `no gateway Service port leads to the Gateway's ports ${listening.join(', ')}`);
  // The istio/gateway chart names the Service after the release.
  return { host: `${release.name}.${release.namespace}.svc.cluster.local`, port: port.port };
}

describe('the load generator', () => {
  it('is deployed only by the load profile: absent by default and from every other profile', () => {
    for (const profile of PROFILES) {
      const names = render(profile).all.map((o) => `${o.kind}/${o.metadata.name}`);
      const own = names.filter((n) => n.endsWith(`/${LOAD_GENERATOR}`)).sort();
      assert.deepEqual(
        own,
        hasLoadGenerator(profile)
          ? [`Deployment/${LOAD_GENERATOR}`, `ServiceAccount/${LOAD_GENERATOR}`]
          : [],
        profile,
      );
    }
    assert.equal(chartValues().enabled, false);
    for (const name of [undefined, ...(app.profiles ?? []).map((p) => p.name)]) {
      const cfg = withProfile(app, name);
      const builds = (cfg.build?.artifacts ?? []).filter((a) => a.docker?.target === 'load');
      const enabled = cfg.deploy?.helm?.releases?.[0]?.setValues?.['loadGenerator.enabled'];
      assert.equal(builds.length, name === 'load' ? 1 : 0, `${name ?? 'no profile'}: load image`);
      assert.equal(enabled, name === 'load' ? true : undefined, `${name ?? 'no profile'}: enabled`);
    }
  });

  it('gets its own image from the Dockerfile’s load stage: Node base, no build stage, no SERVICE, uid 10001', () => {
    const artifact = withProfile(app, 'load').build?.artifacts?.find(
      (a) => a.docker?.target === 'load',
    );
    assert.ok(artifact);
    assert.equal(artifact.docker?.dockerfile, 'Dockerfile');
    assert.equal(artifact.context, '.');
    assert.equal(artifact.docker.buildArgs?.SERVICE, undefined);
    assert.deepEqual(loadStage[0]?.args, ['${NODE_IMAGE}', 'AS', 'load']);
    assert.ok(
      loadStage.every((i) => !i.flags.some((f) => f.startsWith('from='))),
      'the load stage copies from another stage',
    );
    assert.ok(
      loadStage.every((i) => !i.args.join(' ').includes('SERVICE')),
      'the load stage uses SERVICE',
    );
    assert.deepEqual(
      loadStage.filter((i) => i.keyword === 'USER').map((i) => i.args),
      [['10001:10001']],
    );
    assert.deepEqual(loadStage.find((i) => i.keyword === 'CMD')?.args, ['node', LOAD_ENTRY]);
    const workdir = loadStage.find((i) => i.keyword === 'WORKDIR')?.args[0];
    const { container, object } = generator(render('load').app);
    assert.equal(container.image, `${artifact.image}:checks`);
    assert.equal(container.workingDir, workdir);
    assert.ok(container.args?.some((a) => a.includes(`node ${LOAD_ENTRY}`)));
    assert.equal((object.spec as { replicas?: number }).replicas, 1);
  });

  it('copies exactly the modules load.mts loads into the image, and they use Node built-ins only', () => {
    const copied = contextSources(loadStage).map(({ source }) => path.posix.normalize(source));
    assert.deepEqual([...copied].sort(), [...localImportClosure(LOAD_ENTRY)].sort());
  });

  it('follows imports the way Node loads a stripped .mts file', () => {
    const source = [
      "import { a } from './a.mts';",
      "import type { T } from './types-only.mts';",
      'import {',
      '  type B,',
      '  c,',
      "} from '../b.mts';",
      "export { d } from './d.mts';",
      "import './side-effect.mts';",
      "import { readFileSync } from 'node:fs';",
      "// import { gone } from './comment.mts';",
      "const later = await import('./dynamic.mts');",
      "export const label = 'from here';",
    ].join('\n');
    assert.deepEqual(runtimeImports(source), [
      './a.mts',
      '../b.mts',
      './d.mts',
      './side-effect.mts',
      'node:fs',
      './dynamic.mts',
    ]);
    const files: Record<string, string> = {
      'x/entry.mts': "import { a } from './a.mts';\nimport { b } from '../y/b.mts';",
      'x/a.mts': "import { b } from '../y/b.mts';\nimport { once } from 'node:events';",
      'y/b.mts': "import { connect } from 'amqplib';",
    };
    const read = (file: string): string => files[file] ?? assert.fail(`read ${file}`);
    assert.throws(() => localImportClosure('x/entry.mts', read), /y\/b\.mts imports amqplib/);
    files['y/b.mts'] = 'export const b = 1;';
    assert.deepEqual(localImportClosure('x/entry.mts', read), [
      'x/entry.mts',
      'x/a.mts',
      'y/b.mts',
    ]);
  });

  it('load: stays out of the mesh and enters through the ingress gateway, which admits it as any shopper', () => {
    const { app: objects } = render('load');
    const { container, podMeta } = generator(objects);
    assert.equal(podMeta.labels?.['sidecar.istio.io/inject'], 'false');
    const gateway = gatewayService(objects);
    const env = envOf(container);
    assert.equal(env.LOAD_TARGET, `http://${gateway.host}:${String(gateway.port)}`);
    assert.equal(env.LOAD_AUTH_URL, undefined);
    assert.equal(env.LOAD_ORDERS_URL, undefined);
    // The gateway serves the routes the generator calls.
    const routes = ofKind<{ spec: { http: { match?: { uri?: { exact?: string } }[] }[] } }>(
      objects,
      'VirtualService',
    ).flatMap((vs) => vs.spec.http.flatMap((r) => (r.match ?? []).map((m) => m.uri?.exact)));
    for (const route of ['/auth/register', '/auth/login', '/orders']) {
      assert.ok(routes.includes(route), route);
    }
    // No identity, so nothing in the mesh changes: the services still admit REST from the
    // gateway only, and no policy names the generator.
    const mesh = (profile: Profile): KubeObject[] =>
      render(profile).all.filter((o) => o.apiVersion.includes('istio.io'));
    assert.deepEqual(mesh('load'), mesh('default'));
    assert.ok(!JSON.stringify(mesh('load')).includes(`sa/${LOAD_GENERATOR}`));
  });

  it('no-mesh,load: calls auth and orders directly, at their Services’ http ports', () => {
    const { app: objects } = render('no-mesh,load');
    const env = envOf(generator(objects).container);
    assert.equal(env.LOAD_TARGET, undefined);
    for (const [name, variable] of [
      ['auth', 'LOAD_AUTH_URL'],
      ['orders', 'LOAD_ORDERS_URL'],
    ] as const) {
      const service = ofKind<{ spec: { ports: { name?: string; port: number }[] } }>(
        objects,
        'Service',
      ).find((s) => s.metadata.name === name);
      const port = service?.spec.ports.find((p) => p.name === 'http')?.port;
      assert.ok(port, `no Service ${name} with an http port`);
      assert.equal(env[variable], `http://${name}.junction.svc.cluster.local:${String(port)}`);
    }
  });

  it('passes the chart values on as the generator’s LOAD_* settings and resources', () => {
    const values = chartValues();
    const { container } = generator(render('load').app);
    const env = envOf(container);
    assert.deepEqual(
      {
        rate: Number(env.LOAD_RATE),
        duration: Number(env.LOAD_DURATION),
        mix: env.LOAD_MIX,
        users: Number(env.LOAD_USERS),
        sku: env.LOAD_SKU,
        paymentMethod: env.LOAD_PAYMENT_METHOD,
        maxInFlight: Number(env.LOAD_MAX_IN_FLIGHT),
        json: env.LOAD_JSON === '1',
      },
      {
        rate: values.rate,
        duration: values.duration,
        mix: values.mix,
        users: values.users,
        sku: values.sku,
        paymentMethod: values.paymentMethod,
        maxInFlight: values.maxInFlight,
        json: values.json,
      },
    );
    assert.deepEqual(container.resources, values.resources);
    assert.ok(isRecord(values.resources));
  });
});

/**
 * The Deployment's own command, run the way the pod runs it: /bin/sh with the rendered
 * arguments and environment, in a directory holding exactly what the load stage copies (no
 * node_modules, no package.json), against a fake shop on 127.0.0.1.
 */
describe('the load generator’s rounds, run from what its image holds', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'junction-load-image-'));
  const running: ChildProcess[] = [];
  /** The whole process group: the shell and whatever round or pause it is in. */
  const killAll = (child: ChildProcess): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  afterEach(() => {
    for (const child of running.splice(0)) killAll(child);
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function imageDir(): string {
    const workdir = loadStage.find((i) => i.keyword === 'WORKDIR')?.args[0] ?? '/';
    const dir = path.join(root, workdir);
    for (const copy of loadStage.filter((i) => i.keyword === 'COPY')) {
      const destination = copy.args.at(-1) ?? '';
      assert.ok(destination.endsWith('/'), `COPY to a folder: ${destination}`);
      mkdirSync(path.join(dir, destination), { recursive: true });
      for (const source of copy.args.slice(0, -1))
        cpSync(repoPath(source), path.join(dir, destination, path.basename(source)));
    }
    return dir;
  }

  /** The rendered container (rounds' retry pause 1 s instead of the default). */
  const container = (): IContainer => {
    const objects = helmTemplate('junction', 'junction', 'junction', [
      ...profileArgs('load', 'junction'),
      '--set',
      'loadGenerator.retryDelaySeconds=1',
    ]);
    return generator(objects).container;
  };

  interface Run {
    child: ChildProcess;
    stdout: () => string;
    stderr: () => string;
  }

  function runRounds(overrides: Record<string, string>): Run {
    const c = container();
    const [shell, ...flags] = c.command ?? [];
    assert.ok(shell);
    const child = spawn(shell, [...flags, ...(c.args ?? [])], {
      cwd: imageDir(),
      env: {
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
        ...envOf(c),
        ...overrides,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a failed test can stop the rounds with everything in them.
      detached: true,
    });
    running.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child, stdout: () => stdout, stderr: () => stderr };
  }

  async function until(what: string, run: Run, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (Date.now() > deadline || run.child.exitCode !== null)
        assert.fail(`${what}\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function exitCode(run: Run): Promise<number | null> {
    if (run.child.exitCode !== null) return run.child.exitCode;
    const timer = setTimeout(() => {
      killAll(run.child);
    }, 15_000);
    const [code] = (await once(run.child, 'exit')) as [number | null];
    clearTimeout(timer);
    return code;
  }

  it('runs round after round, each ending with its summary, until SIGTERM ends it cleanly', async () => {
    const shop = await fakeShop();
    try {
      const run = runRounds({
        LOAD_TARGET: shop.url,
        LOAD_DURATION: '1',
        LOAD_RATE: '5',
        LOAD_MIX: '1:0',
      });
      const rounds = (): number => run.stdout().match(/^offered 5 orders\/s/gm)?.length ?? 0;
      await until('two rounds with a summary each', run, () => rounds() >= 2);
      assert.match(run.stdout(), /^blocking: sent 5, accepted 5, confirmed 5/m);
      run.child.kill('SIGTERM');
      assert.equal(await exitCode(run), 0, run.stderr());
      assert.ok(shop.orders() >= 10, `only ${String(shop.orders())} orders placed`);
    } finally {
      await shop.close();
    }
  });

  it('retries a failed round after the pause (the target not up yet), and still stops on SIGTERM', async () => {
    const closed = await unusedPort();
    const run = runRounds({ LOAD_TARGET: `http://127.0.0.1:${String(closed)}` });
    await until(
      'two failed rounds',
      run,
      () => (run.stderr().match(/round failed \(exit 1\), next in 1 s/g)?.length ?? 0) >= 2,
    );
    assert.match(run.stderr(), /ECONNREFUSED/);
    run.child.kill('SIGTERM');
    assert.equal(await exitCode(run), 0);
  });

  it('stops with exit code 2 on a usage error instead of retrying it', async () => {
    const run = runRounds({ LOAD_TARGET: 'http://127.0.0.1:9', LOAD_MIX: '0:0' });
    assert.equal(await exitCode(run), 2);
    assert.match(run.stderr(), /--mix must be like 1:1/);
    assert.doesNotMatch(run.stderr(), /round failed/);
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Just enough of Junction on 127.0.0.1 for blocking checkouts: register, login, POST /orders. */
async function fakeShop(): Promise<{ url: string; orders: () => number; close(): Promise<void> }> {
  let orders = 0;
  const reply = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const token = (): string =>
    `e30.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.x`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const route = `${req.method ?? ''} ${req.url ?? ''}`;
      if (route === 'POST /auth/register') reply(res, 201, {});
      else if (route === 'POST /auth/login' || route === 'POST /auth/refresh')
        reply(res, 200, { accessToken: token(), refreshToken: 'refresh' });
      else if (route === 'POST /orders' && req.headers.authorization?.startsWith('Bearer ')) {
        orders += 1;
        reply(res, 201, { id: `order-${String(orders)}`, status: 'confirmed', reason: '' });
      } else reply(res, 404, {});
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    orders: () => orders,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
