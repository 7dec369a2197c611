// The npm workspace: the service's package.json (dependencies pinned to the versions the
// platform library uses), its entries in package-lock.json — exactly what `npm install` writes
// for a new workspace whose dependencies are all installed already, so `npm ci` (the Dockerfile)
// accepts the lock — and the e2e project's implicit dependency on it (Nx builds it first).
import { type Tree } from '@nx/devkit';
import { type ServicePlan } from '../plan.mts';

const LOCK_FILE = 'package-lock.json';
const E2E_MANIFEST = 'e2e/package.json';
const PLATFORM_MANIFEST = 'libs/platform/package.json';
/**
 * Third-party packages every generated service imports itself (versions from libs/platform);
 * Nest's core, reflect-metadata and rxjs come with the platform library, which starts the app.
 */
const SHARED_DEPENDENCIES = ['@nestjs/common', 'ioredis', 'zod'];

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  nx?: { tags?: string[]; implicitDependencies?: string[] };
}

interface LockFile {
  packages: Record<string, Record<string, unknown>>;
}

function readJson(tree: Tree, path: string): unknown {
  const text = tree.read(path, 'utf8');
  if (text === null) throw new Error(`${path} does not exist`);
  return JSON.parse(text);
}

/** npm's formatting: two spaces, a final newline (prettier leaves package.json files so). */
function writeJson(tree: Tree, path: string, value: unknown): void {
  tree.write(path, `${JSON.stringify(value, null, 2)}\n`);
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function dependencies(tree: Tree, plan: ServicePlan): Record<string, string> {
  const platform = readJson(tree, PLATFORM_MANIFEST) as Manifest;
  const versionOf = (name: string): string => {
    const version = platform.dependencies?.[name];
    if (!version) throw new Error(`${PLATFORM_MANIFEST} does not depend on ${name}`);
    return version;
  };
  const own = (path: string): string => (readJson(tree, path) as Manifest).version;
  const deps: Record<string, string> = { '@junction/platform': own(PLATFORM_MANIFEST) };
  if (plan.grpc || plan.messaging) deps['@junction/contracts'] = own('libs/contracts/package.json');
  if (plan.messaging) deps['@junction/messaging'] = own('libs/messaging/package.json');
  for (const name of SHARED_DEPENDENCIES) deps[name] = versionOf(name);
  return sortedKeys(deps);
}

export function serviceManifest(tree: Tree, plan: ServicePlan): Record<string, unknown> {
  return {
    name: plan.packageName,
    version: '0.1.0',
    private: true,
    main: 'dist/main.js',
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      lint: 'eslint . --max-warnings 0',
      test: 'jest',
      start: 'node dist/main.js',
    },
    nx: { tags: ['type:app', `scope:${plan.name}`] },
    files: ['dist'],
    dependencies: dependencies(tree, plan),
  };
}

/** Inserts `key` where npm's sorted order puts it, keeping every other entry where it is. */
function insertSorted(
  packages: LockFile['packages'],
  key: string,
  value: Record<string, unknown>,
): LockFile['packages'] {
  const entries = Object.entries(packages).filter(([k]) => k !== key);
  const at = entries.findIndex(([k], i) => i > 0 && k.localeCompare(key, 'en') > 0);
  entries.splice(at < 0 ? entries.length : at, 0, [key, value]);
  return Object.fromEntries(entries);
}

export function addToWorkspace(tree: Tree, plan: ServicePlan): void {
  const manifest = serviceManifest(tree, plan);
  writeJson(tree, `services/${plan.name}/package.json`, manifest);
  const lock = readJson(tree, LOCK_FILE) as LockFile;
  let packages = insertSorted(lock.packages, `node_modules/${plan.packageName}`, {
    resolved: `services/${plan.name}`,
    link: true,
  });
  packages = insertSorted(packages, `services/${plan.name}`, {
    name: plan.packageName,
    version: manifest.version,
    dependencies: manifest.dependencies,
  });
  writeJson(tree, LOCK_FILE, { ...lock, packages });
  const e2e = readJson(tree, E2E_MANIFEST) as Manifest;
  const implicit = e2e.nx?.implicitDependencies ?? [];
  writeJson(tree, E2E_MANIFEST, {
    ...e2e,
    nx: { ...e2e.nx, implicitDependencies: [...implicit, plan.packageName] },
  });
}

export function removeFromWorkspace(tree: Tree, name: string, packageName: string): void {
  const lock = readJson(tree, LOCK_FILE) as LockFile;
  const packages = Object.fromEntries(
    Object.entries(lock.packages).filter(
      ([key]) => key !== `node_modules/${packageName}` && key !== `services/${name}`,
    ),
  );
  writeJson(tree, LOCK_FILE, { ...lock, packages });
  const e2e = readJson(tree, E2E_MANIFEST) as Manifest;
  if (e2e.nx?.implicitDependencies?.includes(packageName)) {
    writeJson(tree, E2E_MANIFEST, {
      ...e2e,
      nx: {
        ...e2e.nx,
        implicitDependencies: e2e.nx.implicitDependencies.filter((d) => d !== packageName),
      },
    });
  }
}
