// The service generator on a tree over the real workspace (nothing is written to disk): what it
// writes, what it refuses, and how it wires the new service in. The e2e test
// e2e/src/generator.test.mts builds, runs and deploys-renders what it writes, in a copy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { serviceGenerator } from './generator.mts';
import { changes, nxGenerate, workspaceTree } from './testing.mts';
import { localPorts } from './wiring/topology.mts';

const NAME = 'parcel-tracking';
const OPTIONS = {
  name: NAME,
  grpc: true,
  consumes: 'payment.captured',
  publishes: 'parcel.shipped',
  skipFormat: true,
};

const SERVICE_FILES = [
  'package.json',
  'jest.config.cjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'src/main.ts',
  'src/app.module.ts',
  'src/config.ts',
  'src/domain/received-event.ts',
  `src/domain/${NAME}.errors.ts`,
  `src/domain/${NAME}.schemas.ts`,
  `src/domain/${NAME}.service.ts`,
  `src/domain/${NAME}.service.spec.ts`,
  `src/store/${NAME}.repository.ts`,
  `src/store/${NAME}.repository.spec.ts`,
  `src/grpc/${NAME}.grpc-controller.ts`,
  'src/grpc/received-event.mapper.ts',
  'src/consumers/payment-captured.consumer.ts',
  'src/consumers/payment-captured.consumer.spec.ts',
  'src/consumers/parcel-shipped.event.ts',
].map((file) => `CREATE services/${NAME}/${file}`);

const EXPECTED = [
  ...SERVICE_FILES,
  `CREATE e2e/src/${NAME}.test.mts`,
  'CREATE proto/junction/parcel_tracking/v1/parcel_tracking.proto',
  'CREATE proto/junction/parcel_tracking/v1/events.proto',
  `CREATE libs/contracts/src/${NAME}.ts`,
  'CREATE libs/contracts/src/generated/junction/parcel_tracking/v1/events.pb.ts',
  'CREATE libs/contracts/src/generated/junction/parcel_tracking/v1/parcel_tracking.pb.ts',
  'UPDATE libs/contracts/src/index.ts',
  'UPDATE libs/contracts/src/proto-files.ts',
  'UPDATE libs/contracts/src/events.ts',
  'UPDATE libs/contracts/src/event-examples.ts',
  'UPDATE tools/local/topology.mts',
  'UPDATE README.md',
  'UPDATE charts/junction/values.yaml',
  'UPDATE charts/junction/values.schema.json',
  'UPDATE skaffold.yaml',
  'UPDATE package-lock.json',
  'UPDATE e2e/package.json',
].sort();

interface ChartService {
  httpPort: number;
  publicRoutes: unknown[];
  rabbitmq: boolean;
  verifiesTokens?: boolean;
  grpc?: { port: number; service: string; callers: string[]; methods: { name: string }[] };
}

function chartService(tree: ReturnType<typeof workspaceTree>, name: string): ChartService {
  const values = parse(tree.read('charts/junction/values.yaml', 'utf8') ?? '') as {
    services: Record<string, ChartService>;
  };
  const service = values.services[name];
  assert.ok(service, `values.yaml has no services.${name}`);
  return service;
}

async function rejects(options: Parameters<typeof serviceGenerator>[1], message: RegExp) {
  const tree = workspaceTree();
  await assert.rejects(serviceGenerator(tree, options), message);
  assert.deepEqual(changes(tree), [], 'nothing is written when the options are refused');
}

describe('@junction/tools:service', () => {
  describe('what it writes', () => {
    it('creates the service, its proto and contracts, and updates every place that lists services', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, OPTIONS);
      assert.deepEqual(changes(tree), EXPECTED);
    });

    it('gives the service the next free ports of the local topology', async () => {
      const tree = workspaceTree();
      const before = Object.values(localPorts(tree));
      await serviceGenerator(tree, OPTIONS);
      const ports = localPorts(tree)[NAME];
      assert.deepEqual(ports, {
        http: Math.max(...before.map((p) => p.http)) + 1,
        grpc: Math.max(...before.map((p) => p.grpc ?? 0)) + 1,
      });
      assert.match(
        tree.read('README.md', 'utf8') ?? '',
        new RegExp(`\\| ${NAME} +\\| ${String(ports.http)}`),
      );
    });

    it('declares the gRPC API in the chart with no callers: the mesh denies everyone until you add one', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, OPTIONS);
      const service = chartService(tree, NAME);
      assert.deepEqual(service.grpc?.callers, []);
      assert.equal(service.grpc.service, 'junction.parcel_tracking.v1.ParcelTrackingService');
      assert.deepEqual(service.publicRoutes, []);
      assert.equal(service.rabbitmq, true);
      const schema = JSON.parse(tree.read('charts/junction/values.schema.json', 'utf8') ?? '') as {
        definitions: { serviceName: { enum: string[] } };
      };
      assert.ok(schema.definitions.serviceName.enum.includes(NAME));
    });

    it('adds a skaffold artifact, its image values, dev sync and port-forwards', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, OPTIONS);
      const text = tree.read('skaffold.yaml', 'utf8') ?? '';
      assert.match(
        text,
        /- image: junction-parcel-tracking\n(.*\n){1,6}?\s+SERVICE: parcel-tracking\n/,
      );
      assert.match(
        text,
        /services\.parcel-tracking\.image\.tag: ['"]\{\{\.IMAGE_TAG_junction_parcel_tracking\}\}['"]/,
      );
      const artifacts = text.match(/- image: junction-/g)?.length ?? 0;
      assert.match(
        text,
        new RegExp(`/build/artifacts/${String(artifacts - 1)}/sync, value: \\*sync`),
      );
      assert.equal(text.match(/resourceName: parcel-tracking/g)?.length, 2, 'no-mesh and debug');
    });

    it('adds the published event: routing key, schema, example, proto message', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, OPTIONS);
      const events = tree.read('libs/contracts/src/events.ts', 'utf8') ?? '';
      assert.match(events, /parcelShipped: 'parcel\.shipped'/);
      assert.match(events, /export const parcelShippedSchema = z\.object\(/);
      assert.match(events, /export type ParcelShippedEvent = /);
      assert.match(
        tree.read('libs/contracts/src/event-examples.ts', 'utf8') ?? '',
        /\[ROUTING_KEYS\.parcelShipped\]: \{/,
      );
      assert.match(
        tree.read('proto/junction/parcel_tracking/v1/events.proto', 'utf8') ?? '',
        /message ParcelShipped \{/,
      );
    });

    it('writes no TODO or placeholder into the service', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, { ...OPTIONS, rest: true });
      for (const change of tree.listChanges()) {
        if (change.type === 'DELETE') continue;
        const text = change.content?.toString('utf8') ?? '';
        assert.doesNotMatch(text, /TODO|FIXME|not implemented|<%|%>/i, change.path);
      }
    });

    it('with --rest only: a public REST adapter behind the gateway, no gRPC, no broker', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, { name: NAME, rest: true, skipFormat: true });
      const files = changes(tree);
      assert.ok(files.includes(`CREATE services/${NAME}/src/http/${NAME}.controller.ts`));
      assert.ok(!files.some((f) => f.includes('/grpc/') || f.includes('/consumers/')));
      assert.ok(!files.some((f) => f.includes('proto/') || f.includes('libs/contracts')));
      const service = chartService(tree, NAME);
      assert.deepEqual(service.publicRoutes, [{ prefix: `/${NAME}/` }]);
      assert.equal(service.verifiesTokens, true);
      assert.equal(service.rabbitmq, false);
      assert.equal(service.grpc, undefined);
      assert.doesNotMatch(
        tree.read(`services/${NAME}/src/app.module.ts`, 'utf8') ?? '',
        /Messaging/,
      );
    });
  });

  describe('what it refuses', () => {
    it('refuses a name that is not kebab-case, saying what a name looks like', async () => {
      await rejects(
        { name: 'Bad_Name' },
        /"Bad_Name" is not a valid service name: use 2 to 30 lower-case/,
      );
      await rejects({ name: '9lives' }, /not a valid service name/);
      await rejects({ name: 'a' }, /not a valid service name/);
    });

    it('refuses the reference services and names taken by the workspace', async () => {
      await rejects({ name: 'orders' }, /"orders" is one of Junction's reference services/);
      await rejects({ name: 'platform' }, /"platform" is reserved/);
      await rejects({ name: 'redis' }, /"redis" is reserved/);
      await rejects({ name: 'class' }, /"class" is reserved/);
    });

    it('refuses to generate the same service twice, naming what exists and how to remove it', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, OPTIONS);
      const first = changes(tree);
      await assert.rejects(
        serviceGenerator(tree, OPTIONS),
        new RegExp(
          `service "${NAME}" already exists \\(services/${NAME}, .*\\); .*remove-service ${NAME}`,
        ),
      );
      assert.deepEqual(changes(tree), first, 'the second run changes nothing');
    });

    it('refuses events it cannot wire', async () => {
      await rejects(
        { name: NAME, consumes: 'parcel.lost' },
        /--consumes parcel\.lost: no such event; the known routing keys are order\.placed, /,
      );
      await rejects(
        { name: NAME, consumes: 'order.placed', publishes: 'payment.captured' },
        /--publishes payment\.captured: that event exists already/,
      );
      await rejects(
        { name: NAME, consumes: 'order.placed', publishes: 'Parcel Shipped' },
        /--publishes Parcel: a routing key is lower-case words separated by dots/,
      );
      await rejects({ name: NAME, publishes: 'parcel.shipped' }, /--publishes needs --consumes/);
    });
  });

  describe('on the command line', () => {
    it('--dry-run lists exactly the files it would write, and writes none', async () => {
      const tree = workspaceTree();
      await serviceGenerator(tree, OPTIONS);
      const { status, output } = nxGenerate([
        '@junction/tools:service',
        NAME,
        '--grpc',
        '--consumes',
        'payment.captured',
        '--publishes',
        'parcel.shipped',
        '--dry-run',
      ]);
      assert.equal(status, 0, output);
      const listed = output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /^(CREATE|UPDATE|DELETE) /.test(line))
        .sort();
      assert.deepEqual(listed, changes(tree), output);
      assert.match(output, /The "dryRun" flag means no changes were made/);
      assert.equal(workspaceTree().exists(`services/${NAME}`), false);
    });

    it('rejects a bad name with its message and a failing exit code', () => {
      const { status, output } = nxGenerate(['@junction/tools:service', 'Bad_Name', '--dry-run']);
      assert.notEqual(status, 0);
      assert.match(output, /"Bad_Name" is not a valid service name/);
    });
  });
});
