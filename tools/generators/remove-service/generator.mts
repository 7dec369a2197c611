// `npx nx g @junction/tools:remove-service <name>`: the exact reverse of @junction/tools:service —
// the service, its proto and generated contracts, its events, its topology.yaml entry and the
// calls naming it (the files derived from topology.yaml regenerated: Helm values, skaffold, the
// contracts' method table, README's ports table), its npm workspace, e2e and OpenAPI document. Data it left in
// Redis or RabbitMQ (its keys, its queues) is not touched: docs/extending.md says how to clear those.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatFiles, type GeneratorCallback, type Tree } from '@nx/devkit';
import { serviceNames } from '../service/names.mts';
import { checkServiceName, GeneratorInputError, REFERENCE_SERVICES } from '../service/plan.mts';
import { removeFromContracts } from '../service/wiring/contracts.mts';
import { removeFromTopology, treeTopology } from '../service/wiring/topology.mts';
import { removeFromWorkspace } from '../service/wiring/workspace.mts';

export interface RemoveServiceOptions {
  readonly name: string;
  readonly skipFormat?: boolean;
}

function checkRemovable(tree: Tree, name: string): void {
  checkServiceName(name);
  if (REFERENCE_SERVICES.includes(name)) {
    throw new GeneratorInputError(
      `"${name}" is one of Junction's reference services; only generated services can be removed`,
    );
  }
  if (!tree.exists(`services/${name}`) && !treeTopology(tree).services[name]) {
    throw new GeneratorInputError(
      `there is no service "${name}" (services/${name} does not exist)`,
    );
  }
}

export async function removeServiceGenerator(
  tree: Tree,
  options: RemoveServiceOptions,
): Promise<GeneratorCallback> {
  checkRemovable(tree, options.name);
  const names = serviceNames(options.name);
  removeFromContracts(tree, names);
  await removeFromTopology(tree, names.name);
  removeFromWorkspace(tree, names.name, names.packageName);
  const own = [
    `services/${names.name}`,
    `e2e/src/${names.name}.test.mts`,
    `docs/openapi/${names.name}.json`,
  ];
  for (const path of own) {
    if (tree.exists(path)) tree.delete(path);
  }
  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    rmSync(join(tree.root, 'node_modules', names.packageName), { force: true, recursive: true });
    console.log(`${names.name} is removed. Its Redis keys (${names.name}:*) and RabbitMQ queues
(${names.name}.events, .retry, .parking) in running brokers stay: see docs/extending.md.`);
  };
}

export default removeServiceGenerator;
