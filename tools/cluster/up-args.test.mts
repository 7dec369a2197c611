import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../local/topology.mts';
import { CONTEXT, parseUpFlags, profiles, skaffoldArgs, type UpFlags } from './up-args.mts';

const flags = (overrides: Partial<UpFlags> = {}): UpFlags => ({
  dev: false,
  noMesh: false,
  meshFaults: false,
  ...overrides,
});

/** The values of every `-p` in a command line. */
const profileFlags = (args: string[]): string[] =>
  args.flatMap((arg, i) => (arg === '-p' ? [args[i + 1] ?? ''] : []));

describe(parseUpFlags.name, () => {
  it('reads each flag', () => {
    assert.deepEqual(parseUpFlags(['--dev', '--mesh-faults']), {
      help: false,
      flags: flags({ dev: true, meshFaults: true }),
    });
    assert.deepEqual(parseUpFlags([]), { help: false, flags: flags() });
    assert.deepEqual(parseUpFlags(['--help']), { help: true });
  });

  it('refuses --mesh-faults without the mesh, and an unknown flag', () => {
    assert.match(
      (parseUpFlags(['--no-mesh', '--mesh-faults']) as { error: string }).error,
      /--mesh-faults needs the mesh/,
    );
    assert.match((parseUpFlags(['--mesh']) as { error: string }).error, /Unknown option '--mesh'/);
  });
});

describe(skaffoldArgs.name, () => {
  it('runs skaffold run with a status check in the kind context by default, no profile', () => {
    const args = skaffoldArgs(flags());
    assert.deepEqual(args, ['run', '--status-check=true', '--kube-context', CONTEXT]);
  });

  it('turns the dev profile on for --dev: skaffold dev -p dev, forwarding, no cleanup', () => {
    const args = skaffoldArgs(flags({ dev: true }));
    assert.equal(args[0], 'dev');
    assert.deepEqual(profileFlags(args), ['dev']);
    assert.ok(args.includes('--port-forward'));
    assert.ok(args.includes('--cleanup=false'));
    assert.deepEqual(
      args.slice(args.indexOf('--kube-context'), args.indexOf('--kube-context') + 2),
      ['--kube-context', CONTEXT],
    );
  });

  it('deploys only the app config (not istio) with the no-mesh profile for --no-mesh', () => {
    for (const dev of [false, true]) {
      const args = skaffoldArgs(flags({ dev, noMesh: true }));
      assert.equal(args[args.indexOf('-m') + 1], 'app');
      assert.deepEqual(profileFlags(args), dev ? ['dev', 'no-mesh'] : ['no-mesh']);
    }
    assert.ok(!skaffoldArgs(flags()).includes('-m'));
  });

  it('adds the mesh-faults profile for --mesh-faults, with or without --dev', () => {
    assert.deepEqual(profileFlags(skaffoldArgs(flags({ meshFaults: true }))), ['mesh-faults']);
    const dev = skaffoldArgs(flags({ dev: true, meshFaults: true }));
    assert.equal(dev[0], 'dev');
    assert.deepEqual(profileFlags(dev), ['dev', 'mesh-faults']);
    assert.ok(!dev.includes('-m'));
  });

  it('passes exactly the profiles the flags name, each once', () => {
    for (const dev of [false, true])
      for (const noMesh of [false, true])
        for (const meshFaults of noMesh ? [false] : [false, true]) {
          const f = flags({ dev, noMesh, meshFaults });
          assert.deepEqual(profileFlags(skaffoldArgs(f)), profiles(f));
        }
  });
});

describe('docs/kubernetes.md', () => {
  it('shows the skaffold command lines skaffoldArgs builds', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'kubernetes.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\(none\)|`--[^|]*`)\s*\| `(skaffold [^`]*)`\s*\|$/gm)];
    assert.ok(rows.length >= 4, `${String(rows.length)} rows`);
    for (const [, flagCell = '', command = ''] of rows) {
      if (command.includes('…')) continue;
      const argv = flagCell === '(none)' ? [] : flagCell.replaceAll('`', '').split(/\s+/);
      const parsed = parseUpFlags(argv);
      assert.ok('flags' in parsed, flagCell);
      assert.equal(command, `skaffold ${skaffoldArgs(parsed.flags).join(' ')}`, flagCell);
    }
  });
});
