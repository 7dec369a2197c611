// skaffold.yaml, config `app`: the service's image (one Dockerfile, SERVICE build argument), the
// chart values that point at it, the dev profile's dev-stage target and file sync, and its
// port-forwards in the no-mesh and debug profiles.
import { type Tree } from '@nx/devkit';
import {
  type Document,
  isMap,
  isNode,
  isScalar,
  isSeq,
  parseAllDocuments,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { type ServicePlan } from '../plan.mts';

export const SKAFFOLD_FILE = 'skaffold.yaml';
const DEBUG_PORT = 9229;

function load(tree: Tree) {
  const documents = parseAllDocuments(tree.read(SKAFFOLD_FILE, 'utf8') ?? '');
  const app = documents.find((d) => d.getIn(['metadata', 'name']) === 'app');
  if (!app || !('getIn' in app)) throw new Error(`${SKAFFOLD_FILE}: no config named app`);
  return { documents, app: app as Document };
}

function save(tree: Tree, documents: ReturnType<typeof parseAllDocuments>): void {
  const text = documents
    .map((d) => d.toString({ lineWidth: 0, flowCollectionPadding: false }))
    .join('');
  tree.write(SKAFFOLD_FILE, text);
}

function seq(document: Document, path: readonly (string | number)[]): YAMLSeq {
  const node: unknown = document.getIn(path, true);
  if (!isSeq(node)) throw new Error(`${SKAFFOLD_FILE}: ${path.join('.')} is not a list`);
  return node;
}

function map(document: Document, path: readonly (string | number)[]): YAMLMap {
  const node: unknown = document.getIn(path, true);
  if (!isMap(node)) throw new Error(`${SKAFFOLD_FILE}: ${path.join('.')} is not a map`);
  return node;
}

function profile(document: Document, name: string): YAMLMap {
  const found = seq(document, ['profiles']).items.find(
    (item) => isMap(item) && item.get('name') === name,
  );
  if (!isMap(found)) throw new Error(`${SKAFFOLD_FILE}: no profile ${name}`);
  return found;
}

/** Index after the last item matching `predicate` (or the end). */
function afterLast(items: readonly unknown[], predicate: (item: unknown) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i + 1;
  return items.length;
}

const patchPath = (item: unknown): string => (isMap(item) ? String(item.get('path')) : '');

function addDevPatches(document: Document, index: number): void {
  const devPatches = profile(document, 'dev').get('patches', true);
  if (!isSeq(devPatches)) throw new Error(`${SKAFFOLD_FILE}: profile dev has no patches`);
  const target = document.createNode(
    { op: 'replace', path: `/build/artifacts/${String(index)}/docker/target`, value: 'dev' },
    { flow: true },
  );
  devPatches.items.splice(
    afterLast(devPatches.items, (item) => patchPath(item).endsWith('/docker/target')),
    0,
    target,
  );
  const anchored = devPatches.items
    .filter(isMap)
    .map((item) => item.get('value', true))
    .find((value) => isNode(value) && value.anchor === 'sync');
  if (!isNode(anchored)) throw new Error(`${SKAFFOLD_FILE}: profile dev has no &sync rules`);
  const sync = document.createNode(
    { op: 'add', path: `/build/artifacts/${String(index)}/sync` },
    { flow: true },
  ) as YAMLMap;
  sync.set('value', document.createAlias(anchored, 'sync'));
  devPatches.items.splice(
    afterLast(devPatches.items, (item) => patchPath(item).endsWith('/sync')),
    0,
    sync,
  );
}

function portForwards(document: Document, name: string): YAMLSeq {
  const forwards = profile(document, name).get('portForward', true);
  if (!isSeq(forwards)) throw new Error(`${SKAFFOLD_FILE}: profile ${name} has no portForward`);
  return forwards;
}

export function addToSkaffold(tree: Tree, plan: ServicePlan): void {
  const { documents, app } = load(tree);
  const image = `junction-${plan.name}`;
  const artifacts = seq(app, ['build', 'artifacts']);
  const index = artifacts.items.length;
  artifacts.items.push(
    app.createNode({
      image,
      context: '.',
      docker: { dockerfile: 'Dockerfile', target: 'runtime', buildArgs: { SERVICE: plan.name } },
    }),
  );
  const key = image.replace(/[/\-.]/g, '_');
  const templates = map(app, ['deploy', 'helm', 'releases', 0, 'setValueTemplates']);
  templates.set(`services.${plan.name}.image.repository`, `{{.IMAGE_REPO_${key}}}`);
  templates.set(`services.${plan.name}.image.tag`, `{{.IMAGE_TAG_${key}}}`);
  addDevPatches(app, index);
  const http = plan.ports.http;
  portForwards(app, 'no-mesh').items.push(
    app.createNode({
      resourceType: 'service',
      resourceName: plan.name,
      namespace: 'junction',
      port: http,
      localPort: http,
    }),
  );
  const debug = portForwards(app, 'debug');
  const used = debug.items.filter(isMap).map((item) => Number(item.get('localPort')));
  debug.items.push(
    app.createNode({
      resourceType: 'deployment',
      resourceName: plan.name,
      namespace: 'junction',
      port: DEBUG_PORT,
      localPort: Math.max(DEBUG_PORT + 1, ...used) + 1,
    }),
  );
  save(tree, documents);
}

/** `/build/artifacts/<n>/…` with n renumbered after artifact `removed` is gone. */
function renumber(path: string, removed: number): string {
  return path.replace(/^\/build\/artifacts\/(\d+)\//, (whole, n: string) =>
    Number(n) > removed ? `/build/artifacts/${String(Number(n) - 1)}/` : whole,
  );
}

export function removeFromSkaffold(tree: Tree, name: string): void {
  const { documents, app } = load(tree);
  const artifacts = seq(app, ['build', 'artifacts']);
  const index = artifacts.items.findIndex(
    (item) => isMap(item) && item.getIn(['docker', 'buildArgs', 'SERVICE']) === name,
  );
  if (index >= 0) {
    artifacts.items.splice(index, 1);
    const devPatches = profile(app, 'dev').get('patches', true);
    if (isSeq(devPatches)) {
      const own = `/build/artifacts/${String(index)}/`;
      devPatches.items = devPatches.items.filter((item) => !patchPath(item).startsWith(own));
      for (const item of devPatches.items) {
        if (!isMap(item)) continue;
        const path = item.get('path', true);
        if (isScalar(path) && typeof path.value === 'string')
          path.value = renumber(path.value, index);
      }
    }
  }
  const templates = map(app, ['deploy', 'helm', 'releases', 0, 'setValueTemplates']);
  for (const suffix of ['repository', 'tag']) templates.delete(`services.${name}.image.${suffix}`);
  for (const profileName of ['no-mesh', 'debug']) {
    const forwards = portForwards(app, profileName);
    forwards.items = forwards.items.filter(
      (item) => !(isMap(item) && item.get('resourceName') === name),
    );
  }
  save(tree, documents);
}
