// remove-service on a tree over the real workspace: generating a service and removing it again
// leaves every file exactly as it was, byte for byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Tree } from '@nx/devkit';
import { serviceGenerator } from '../service/generator.mts';
import { changes, effectiveChanges, workspaceTree } from '../service/testing.mts';
import { removeServiceGenerator } from './generator.mts';

/**
 * What neither generator may touch: every file under web/ (the storefront's sources; not its
 * build output or installed packages) and topology.yaml's `web:` section, as text.
 */
function webAppParts(tree: Tree): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const child of tree.children(dir)) {
      const path = `${dir}/${child}`;
      if (['node_modules', 'dist'].includes(child)) continue;
      if (tree.isFile(path)) files[path] = tree.read(path, 'utf8') ?? '';
      else walk(path);
    }
  };
  walk('web');
  const topology = tree.read('topology.yaml', 'utf8') ?? '';
  const web = /^web:\n(?:(?: .*)?\n)*/m.exec(topology)?.[0];
  assert.ok(web, 'topology.yaml has a web: section');
  assert.ok(Object.keys(files).length > 0, 'web/ has files');
  return { ...files, 'topology.yaml web:': web };
}

describe('@junction/tools:remove-service', () => {
  it('reverses everything the service generator did, byte for byte', async () => {
    const tree = workspaceTree();
    await serviceGenerator(tree, {
      name: 'parcel-tracking',
      grpc: true,
      rest: true,
      consumes: 'payment.captured,order.placed',
      publishes: 'parcel.shipped parcel.returned',
    });
    assert.ok(changes(tree).length > 30, 'the service was generated');
    const untouched = webAppParts(tree);
    assert.deepEqual(
      webAppParts(workspaceTree()),
      untouched,
      'adding leaves the web apps as they are',
    );
    await removeServiceGenerator(tree, { name: 'parcel-tracking' });
    assert.deepEqual(effectiveChanges(tree), []);
    assert.deepEqual(webAppParts(tree), untouched, 'so does removing');
  });

  it('removes one generated service and keeps another intact', async () => {
    const tree = workspaceTree();
    await serviceGenerator(tree, { name: 'alpha', grpc: true, skipFormat: true });
    const withAlpha = changes(tree);
    await serviceGenerator(tree, {
      name: 'beta',
      grpc: true,
      consumes: 'order.placed',
      publishes: 'beta.noted',
      skipFormat: true,
    });
    await removeServiceGenerator(tree, { name: 'beta', skipFormat: true });
    assert.deepEqual(changes(tree), withAlpha);
    const skaffold = tree.read('skaffold.yaml', 'utf8') ?? '';
    assert.match(skaffold, /SERVICE: alpha/);
    assert.doesNotMatch(skaffold, /junction-beta|SERVICE: beta|services\.beta\./);
  });

  it('removes its topology.yaml entry and every call naming it, and regenerates what derives from it', async () => {
    const tree = workspaceTree();
    const before = tree.read('topology.yaml', 'utf8') ?? '';
    await serviceGenerator(tree, { name: 'alpha', grpc: true, rest: true, skipFormat: true });
    // A call to its gRPC API, as a person declares one (calls is the file's last list).
    const declared = `${tree.read('topology.yaml', 'utf8') ?? ''}  - from: orders
    to: alpha
    grpc: [GetReceivedEvent]
`;
    tree.write('topology.yaml', declared);
    await removeServiceGenerator(tree, { name: 'alpha', skipFormat: true });
    assert.equal(tree.read('topology.yaml', 'utf8'), before);
    assert.deepEqual(effectiveChanges(tree), []);
  });

  it('removes the OpenAPI document `npm run openapi:generate` wrote for it', async () => {
    const tree = workspaceTree();
    await serviceGenerator(tree, { name: 'alpha', rest: true, skipFormat: true });
    tree.write('docs/openapi/alpha.json', '{"openapi":"3.1.0"}\n');
    await removeServiceGenerator(tree, { name: 'alpha', skipFormat: true });
    assert.equal(tree.exists('docs/openapi/alpha.json'), false);
    assert.ok(tree.exists('docs/openapi/payment.json'), 'the other documents stay');
    assert.deepEqual(effectiveChanges(tree), []);
  });

  it('renumbers the skaffold dev patches of the artifacts after the removed one', async () => {
    const tree = workspaceTree();
    await serviceGenerator(tree, { name: 'alpha', skipFormat: true });
    await serviceGenerator(tree, { name: 'beta', skipFormat: true });
    const indexOf = (name: string, text: string): number =>
      text
        .split('- image: ')
        .slice(1)
        .findIndex((artifact) => artifact.startsWith(`junction-${name}\n`));
    const before = tree.read('skaffold.yaml', 'utf8') ?? '';
    const beta = indexOf('beta', before);
    await removeServiceGenerator(tree, { name: 'alpha', skipFormat: true });
    const after = tree.read('skaffold.yaml', 'utf8') ?? '';
    assert.equal(indexOf('beta', after), beta - 1);
    assert.match(after, new RegExp(`/build/artifacts/${String(beta - 1)}/sync, value: \\*sync`));
    assert.doesNotMatch(after, new RegExp(`/build/artifacts/${String(beta)}/`));
  });

  it('refuses to remove a reference service or one that does not exist', async () => {
    await assert.rejects(
      removeServiceGenerator(workspaceTree(), { name: 'payment' }),
      /"payment" is one of Junction's reference services; only generated services can be removed/,
    );
    await assert.rejects(
      removeServiceGenerator(workspaceTree(), { name: 'nosuchservice' }),
      /there is no service "nosuchservice"/,
    );
  });
});
