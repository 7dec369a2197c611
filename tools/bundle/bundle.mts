// Writes a service's or a web app's pruned production bundle: exactly what its container image runs.
//   node tools/bundle/bundle.mts <service | web app> --out <dir>
// <dir>/package.json       its production dependencies (the exact versions of the root
//                          package-lock.json) and its workspace libraries as file: deps
// <dir>/package-lock.json  the part of the root package-lock.json that those dependencies use
// <dir>/libs/<lib>/        the workspace libraries it uses (package.json + dist)
// <dir>/dist/              its build output (a web app's: dist/public and dist/server)
// Then `npm ci --omit=dev` in <dir> installs exactly the tree the tests ran on, and
// `node dist/main.js` (a web app: `node dist/server/main.js`) runs it.
//
// Hand-written because npm has no "prune one workspace with its workspace deps" command, Nx's
// generated package.json cannot express workspace libraries as installable dependencies, and npm
// cannot cut a lockfile down to part of a workspace: `npm install --package-lock-only` in the
// bundle would resolve every transitive dependency again, against the registry of the day, and
// the image would run versions no test ran. The bundle's lock is instead the closure of the root
// lock over the production dependency graph: every package that the service and its libraries
// reach through dependencies, optional dependencies and required peers, at the same place in the
// tree (its own folder becomes the root, libs/<lib> stays libs/<lib>), so each package
// resolves each dependency to the very entry it resolves to in the workspace.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');

interface PackageJson {
  name: string;
  version: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface LockFile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const readPackage = (folder: string): PackageJson =>
  readJson(join(ROOT, folder, 'package.json')) as PackageJson;

/** Workspace package name → its folder, for libs/*, services/* and web/*. */
function workspaceFolders(lock: LockFile): Map<string, string> {
  const folders = new Map<string, string>();
  for (const path of Object.keys(lock.packages)) {
    if (/^(libs|services|web)\/[^/]+$/.test(path)) folders.set(readPackage(path).name, path);
  }
  return folders;
}

/** What is bundled: a service (services/<name>) or a web app (web/<name>, its server's entry). */
interface Deployable {
  readonly folder: string;
  readonly main: string;
}

function deployable(name: string): Deployable {
  for (const candidate of [
    { folder: `services/${name}`, main: 'dist/main.js' },
    { folder: `web/${name}`, main: 'dist/server/main.js' },
  ]) {
    if (existsSync(join(ROOT, candidate.folder, 'package.json'))) return candidate;
  }
  throw new Error(`no service or web app ${name} (services/${name}, web/${name})`);
}

/**
 * Where `name` required from the package at lock path `from` is found, the way Node looks it up:
 * `<from>/node_modules/<name>`, then the node_modules of each folder above. A workspace link
 * resolves to the folder it links to.
 */
function resolveFrom(lock: LockFile, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    const entry = lock.packages[candidate];
    if (entry) return entry.link ? entry.resolved : candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

function lockedVersion(lock: LockFile, from: string, name: string): string {
  const path = resolveFrom(lock, from, name);
  const version = path === undefined ? undefined : lock.packages[path]?.version;
  if (!version)
    throw new Error(`${name} (needed by ${from}) is not in package-lock.json; run npm install`);
  return version;
}

/** The dependency edges of a lock entry: [name, required]. */
function edges(entry: LockEntry): [string, boolean][] {
  const optionalPeer = (name: string) => entry.peerDependenciesMeta?.[name]?.optional === true;
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name): [string, boolean] => [name, true]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name): [string, boolean] => [
      name,
      false,
    ]),
    ...Object.keys(entry.peerDependencies ?? {}).map((name): [string, boolean] => [
      name,
      !optionalPeer(name),
    ]),
  ];
}

/**
 * The third-party packages (root-lock paths) reachable from `starts` (workspace folders), each
 * with whether a required edge reaches it (else only optional dependencies need it).
 */
function closure(
  lock: LockFile,
  starts: string[],
  workspaces: Set<string>,
): Map<string, { required: boolean }> {
  const reached = new Map<string, { required: boolean }>();
  const queue: [string, boolean][] = starts.map((start) => [start, true]);
  while (queue.length > 0) {
    const [from, fromRequired] = queue.shift() ?? ['', true];
    const entry = lock.packages[from];
    if (!entry) throw new Error(`package-lock.json has no entry ${from}`);
    for (const [name, required] of edges(entry)) {
      const path = resolveFrom(lock, from, name);
      if (path === undefined) {
        if (required) throw new Error(`${from} needs ${name}, which package-lock.json lacks`);
        continue;
      }
      if (workspaces.has(path)) continue;
      const needed = required && fromRequired;
      const seen = reached.get(path);
      if (seen && (seen.required || !needed)) continue;
      reached.set(path, { required: needed });
      queue.push([path, needed]);
    }
  }
  return reached;
}

/** The bundle's package-lock.json: its root, its libraries and the closure, moved under it. */
function bundleLock(
  lock: LockFile,
  ownFolder: string,
  manifest: PackageJson,
  libs: { folder: string; manifest: PackageJson }[],
): LockFile {
  const workspaces = new Set([ownFolder, ...libs.map((lib) => lib.folder)]);
  const moved = (path: string): string =>
    path.startsWith(`${ownFolder}/`) ? path.slice(ownFolder.length + 1) : path;
  const packages: Record<string, LockEntry> = {
    '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies },
  };
  const place = (path: string, entry: LockEntry, source: string) => {
    const taken = packages[path];
    if (taken && JSON.stringify(taken) !== JSON.stringify(entry)) {
      throw new Error(`${path}: ${source} and another package would share this place`);
    }
    packages[path] = entry;
  };
  for (const lib of libs) {
    const { name, version, dependencies } = lib.manifest;
    place(lib.folder, { name, version, dependencies }, lib.folder);
    place(`node_modules/${name}`, { resolved: lib.folder, link: true }, lib.folder);
  }
  for (const [path, { required }] of closure(lock, [...workspaces], workspaces)) {
    const entry = { ...lock.packages[path] };
    // Dev/optional flags describe the workspace's tree; in the bundle everything is production.
    delete entry.dev;
    delete entry.devOptional;
    delete entry.peer;
    delete entry.optional;
    place(moved(path), required ? entry : { ...entry, optional: true }, path);
  }
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  return {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: sorted,
  };
}

const writeJson = (path: string, value: unknown): void => {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
};

export function bundle(
  service: string,
  out: string,
): { dependencies: Record<string, string>; libs: string[]; packages: number } {
  const lock = readJson(join(ROOT, 'package-lock.json')) as LockFile;
  const folders = workspaceFolders(lock);
  const { folder: ownFolder, main } = deployable(service);
  if (!existsSync(join(ROOT, ownFolder, main))) {
    throw new Error(
      `${ownFolder}/${main} is missing: build first (npx nx run @junction/${service}:build)`,
    );
  }
  const libs: string[] = [];
  /** A workspace package's dependencies as the bundle declares them. */
  const declared = (folder: string, libPrefix: string): Record<string, string> =>
    Object.fromEntries(
      Object.keys(readPackage(folder).dependencies ?? {})
        .sort()
        .map((name) => {
          const libFolder = folders.get(name);
          if (!libFolder) return [name, lockedVersion(lock, folder, name)];
          if (!libs.includes(libFolder)) libs.push(libFolder);
          return [name, `file:${libPrefix}${libFolder.split('/')[1] ?? libFolder}`];
        }),
    );
  const source = readPackage(ownFolder);
  const manifest = {
    name: source.name,
    version: source.version,
    private: true,
    main,
    scripts: { start: `node ${main}` },
    dependencies: declared(ownFolder, './libs/'),
  };
  const libManifests: { folder: string; manifest: PackageJson }[] = [];
  for (let i = 0; i < libs.length; i++) {
    const folder = libs[i] ?? '';
    const pkg = readPackage(folder);
    libManifests.push({
      folder,
      manifest: {
        name: pkg.name,
        version: pkg.version,
        main: pkg.main,
        exports: pkg.exports,
        dependencies: declared(folder, '../'),
      },
    });
  }
  const bundleLockFile = bundleLock(lock, ownFolder, manifest, libManifests);
  // The install scripts the workspace allows (npm's allowScripts), for the packages shipped here.
  const shipped = new Set(
    Object.keys(bundleLockFile.packages).map((path) => path.replace(/^.*node_modules\//, '')),
  );
  const allowScripts = Object.fromEntries(
    Object.entries(readPackage('.').allowScripts ?? {}).filter(([name]) => shipped.has(name)),
  );
  if (Object.keys(allowScripts).length > 0) Object.assign(manifest, { allowScripts });

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const { folder, manifest: libManifest } of libManifests) {
    mkdirSync(join(out, folder), { recursive: true });
    writeJson(join(out, folder, 'package.json'), { ...libManifest, private: true });
    cpSync(join(ROOT, folder, 'dist'), join(out, folder, 'dist'), { recursive: true });
  }
  cpSync(join(ROOT, ownFolder, 'dist'), join(out, 'dist'), { recursive: true });
  writeJson(join(out, 'package.json'), manifest);
  writeJson(join(out, 'package-lock.json'), bundleLockFile);
  return {
    dependencies: Object.fromEntries(
      Object.entries(manifest.dependencies).filter(([name]) => !folders.has(name)),
    ),
    libs,
    packages: Object.keys(bundleLockFile.packages).length - 1,
  };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean' } },
  });
  const service = positionals[0];
  if (values.help || !service) {
    console.log(`usage: node tools/bundle/bundle.mts <service | web app> [--out <dir>]

Writes the pruned production bundle of a built service (services/<name>) or web app
(web/<name>), default --out dist/bundles/<name>: package.json with its production dependencies
(exact versions from package-lock.json), a package-lock.json cut from the root one, the workspace
libraries it uses under libs/, and its dist/. Install with \`npm ci --omit=dev\` inside the
bundle, then run \`node dist/main.js\` (a web app: \`node dist/server/main.js\`).`);
    process.exit(values.help ? 0 : 2);
  }
  const out = resolve(values.out ?? join(ROOT, 'dist', 'bundles', service));
  const { dependencies, libs, packages } = bundle(service, out);
  console.log(
    `${service}: ${String(Object.keys(dependencies).length)} dependencies (${String(packages)} locked packages), libs ${libs.join(', ') || 'none'} -> ${out}`,
  );
}
