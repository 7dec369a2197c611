// Writes a service's pruned production bundle: exactly what its container image runs.
//   node tools/bundle/bundle.mts <service> --out <dir>
// <dir>/package.json  production dependencies only, at the exact versions of package-lock.json
// <dir>/libs/<lib>/   the workspace libraries it uses (package.json + dist), as file: deps
// <dir>/dist/         the service's build output
// Then `npm install --omit=dev` in <dir> and `node dist/main.js` runs it.
// Hand-written because npm has no "prune one workspace with its workspace deps" command and
// Nx's generated package.json cannot express workspace libraries as installable dependencies.
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
}

interface LockFile {
  packages: Record<string, { version?: string }>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Workspace package name → its folder, for libs/* and services/*. */
function workspaceFolders(): Map<string, string> {
  const lock = readJson(join(ROOT, 'package-lock.json')) as LockFile;
  const folders = new Map<string, string>();
  for (const path of Object.keys(lock.packages)) {
    if (/^(libs|services)\/[^/]+$/.test(path)) {
      folders.set((readJson(join(ROOT, path, 'package.json')) as PackageJson).name, path);
    }
  }
  return folders;
}

function lockedVersion(lock: LockFile, from: string, name: string): string {
  const version =
    lock.packages[`${from}/node_modules/${name}`]?.version ??
    lock.packages[`node_modules/${name}`]?.version;
  if (!version)
    throw new Error(`${name} (needed by ${from}) is not in package-lock.json; run npm install`);
  return version;
}

export function bundle(
  service: string,
  out: string,
): { dependencies: Record<string, string>; libs: string[] } {
  const lock = readJson(join(ROOT, 'package-lock.json')) as LockFile;
  const folders = workspaceFolders();
  const serviceFolder = `services/${service}`;
  if (!existsSync(join(ROOT, serviceFolder, 'package.json')))
    throw new Error(`no service ${service}`);
  if (!existsSync(join(ROOT, serviceFolder, 'dist', 'main.js'))) {
    throw new Error(
      `${serviceFolder}/dist/main.js is missing: build first (npx nx run @junction/${service}:build)`,
    );
  }
  const dependencies: Record<string, string> = {};
  const libs: string[] = [];
  const visit = (folder: string): void => {
    const pkg = readJson(join(ROOT, folder, 'package.json')) as PackageJson;
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const libFolder = folders.get(name);
      if (libFolder) {
        if (!libs.includes(libFolder)) {
          libs.push(libFolder);
          visit(libFolder);
        }
      } else {
        dependencies[name] ??= lockedVersion(lock, folder, name);
      }
    }
  };
  visit(serviceFolder);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const libName = (folder: string) => folder.split('/')[1] ?? folder;
  for (const folder of libs) {
    const pkg = readJson(join(ROOT, folder, 'package.json')) as PackageJson;
    const target = join(out, 'libs', libName(folder));
    mkdirSync(target, { recursive: true });
    const libDeps = Object.fromEntries(
      Object.keys(pkg.dependencies ?? {}).map((name) => {
        const dep = folders.get(name);
        return [
          name,
          dep
            ? `file:../${libName(dep)}`
            : (dependencies[name] ?? lockedVersion(lock, folder, name)),
        ];
      }),
    );
    writeFileSync(
      join(target, 'package.json'),
      `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, main: pkg.main, exports: pkg.exports, dependencies: libDeps }, null, 2)}\n`,
    );
    cpSync(join(ROOT, folder, 'dist'), join(target, 'dist'), { recursive: true });
  }
  cpSync(join(ROOT, serviceFolder, 'dist'), join(out, 'dist'), { recursive: true });
  const manifest = {
    name: `@junction/${service}`,
    version: (readJson(join(ROOT, serviceFolder, 'package.json')) as PackageJson).version,
    private: true,
    main: 'dist/main.js',
    scripts: { start: 'node dist/main.js' },
    dependencies: {
      ...Object.fromEntries(Object.entries(dependencies).sort()),
      ...Object.fromEntries(
        libs.map((folder) => [
          (readJson(join(ROOT, folder, 'package.json')) as PackageJson).name,
          `file:./libs/${libName(folder)}`,
        ]),
      ),
    },
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dependencies, libs };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean' } },
  });
  const service = positionals[0];
  if (values.help || !service) {
    console.log(`usage: node tools/bundle/bundle.mts <service> [--out <dir>]

Writes the pruned production bundle of a built service (default --out dist/bundles/<service>):
package.json with production dependencies only (exact versions from package-lock.json), the
workspace libraries it uses under libs/, and its dist/. Install with \`npm install --omit=dev\`
inside the bundle, then run \`node dist/main.js\`.`);
    process.exit(values.help ? 0 : 2);
  }
  const out = resolve(values.out ?? join(ROOT, 'dist', 'bundles', service));
  const { dependencies, libs } = bundle(service, out);
  console.log(
    `${service}: ${String(Object.keys(dependencies).length)} dependencies, libs ${libs.join(', ')} -> ${out}`,
  );
}
