// `npx nx g @junction/tools:service <name> [--rest] [--grpc] [--consumes <keys>] [--publishes <keys>]`
// A new service in the house style: its folder, its proto and contracts, its npm workspace and
// e2e spec, and ONE entry in topology.yaml — from which the Helm values, mesh policy, skaffold,
// the contracts' gRPC tables, README's ports table and the local run follow (regenerated here).
// docs/extending.md describes what it writes; `@junction/tools:remove-service` takes it all out.
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatFiles, generateFiles, type GeneratorCallback, type Tree } from '@nx/devkit';
import { planService, type ServiceOptions, type ServicePlan } from './plan.mts';
import { addToContracts } from './wiring/contracts.mts';
import { addToTopology, treeTopology } from './wiring/topology.mts';
import { addToWorkspace } from './wiring/workspace.mts';

const TEMPLATES = join(import.meta.dirname, 'files');

function controllersOf(plan: ServicePlan): string[] {
  return [
    ...(plan.rest ? [`${plan.className}Controller`] : []),
    ...(plan.grpc ? [`${plan.className}GrpcController`] : []),
  ];
}

/**
 * services/<name>, in the one anatomy every service has (docs/extending.md): domain/ (model,
 * errors, ports, service), adapters/in/{http,grpc,amqp} per option (one consumer per consumed
 * event), adapters/out/redis, and adapters/out/amqp when it publishes.
 */
function writeService(tree: Tree, plan: ServicePlan): void {
  const src = `services/${plan.name}/src`;
  const substitutions = { ...plan, controllers: controllersOf(plan), tmpl: '' };
  const write = (template: string, dir: string, extra: object = {}) => {
    generateFiles(tree, join(TEMPLATES, template), dir, { ...substitutions, ...extra });
  };
  write('service', `services/${plan.name}`);
  if (plan.rest) {
    write('rest', `${src}/adapters/in/http`);
    write('input-schemas', `${src}/adapters/in/http`, { transport: 'REST' });
  }
  if (plan.grpc) {
    write('grpc', `${src}/adapters/in/grpc`);
    write('input-schemas', `${src}/adapters/in/grpc`, { transport: 'gRPC' });
  }
  for (const event of plan.consumes) {
    write('consumer', `${src}/adapters/in/amqp`, { event, fileName: event.fileName });
  }
  if (plan.publishes.length > 0) write('events-publisher', `${src}/adapters/out/amqp`);
  write('e2e', 'e2e/src');
}

/**
 * What `npm install` does for a new workspace whose dependencies are installed already: link
 * node_modules/@junction/<name> to it (package-lock.json was updated in the tree).
 */
export function linkWorkspacePackage(root: string, packageName: string, dir: string): void {
  const link = join(root, 'node_modules', packageName);
  if (!existsSync(join(root, 'node_modules'))) return;
  mkdirSync(join(link, '..'), { recursive: true });
  rmSync(link, { force: true, recursive: true });
  symlinkSync(relative(join(link, '..'), join(root, dir)), link);
}

export async function serviceGenerator(
  tree: Tree,
  options: ServiceOptions,
): Promise<GeneratorCallback> {
  const plan = planService(tree, treeTopology(tree), options);
  writeService(tree, plan);
  addToWorkspace(tree, plan);
  addToContracts(tree, plan, TEMPLATES);
  await addToTopology(tree, plan);
  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    linkWorkspacePackage(tree.root, plan.packageName, `services/${plan.name}`);
    console.log(`
${plan.name} is wired in. Next:
  npx nx run-many -t build lint typecheck test -p ${plan.packageName} @junction/contracts
${plan.rest ? `  npm run openapi:generate                    # writes docs/openapi/${plan.name}.json from its route contracts (after the build)\n` : ''}  npm start                                   # now starts ${plan.name} too (http ${String(plan.ports.http)}${plan.ports.grpc ? `, grpc ${String(plan.ports.grpc)}` : ''})
  npx node --test e2e/src/${plan.name}.test.mts   # its end-to-end spec (after the build)
See docs/extending.md for adding RPCs, events, routes and dependencies.`);
  };
}

export default serviceGenerator;
